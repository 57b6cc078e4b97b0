using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Rooms;

/// <summary>
/// Direct messages: a room of kind Direct whose members are fixed when it is created (1:1 or a
/// small group of at most <see cref="MaxPeople"/> including the starter). The same set of people
/// always gets the same room: it is found by its members (the oldest direct room with exactly
/// them). Its slug is random (<see cref="RoomDirectory.RandomSlug"/>): it tells nobody who talks to
/// whom. Nobody else can see, read, join or post in it (it is not Open, and nobody manages its members).
/// </summary>
public sealed class DirectRooms(ChatterDbContext db, TimeProvider time)
{
    public const int MaxPeople = 8;
    public const string SlugPrefix = "dm-";


    /// <summary>Everyone else, by name, to pick from.</summary>
    public Task<List<Person>> PeopleAsync(string userId, CancellationToken ct = default) =>
        db.Users.AsNoTracking().Where(u => u.Id != userId).OrderBy(u => u.DisplayName)
            .Select(u => new Person(u.Id, u.DisplayName)).Take(500).ToListAsync(ct);

    /// <summary>The existing direct room of exactly these people (the user and <paramref name="others"/>), if any.</summary>
    /// <remarks>
    /// From the user's own memberships (indexed by user): the direct rooms among them with exactly as
    /// many members as people, all of them these people. The oldest, should two have been started at
    /// the same moment (<see cref="OpenAsync"/> removes the younger one).
    /// </remarks>
    public Task<RoomInfo?> FindAsync(string userId, IEnumerable<string> others, CancellationToken ct = default)
    {
        var ids = others.Append(userId).Where(o => !string.IsNullOrEmpty(o)).Distinct(StringComparer.Ordinal).ToList();
        var count = ids.Count;
        return (from mine in db.Memberships.AsNoTracking()
                join r in db.Rooms on mine.RoomId equals r.Id
                where mine.UserId == userId && r.Kind == RoomKind.Direct
                      && db.Memberships.Count(m => m.RoomId == r.Id) == count
                      && db.Memberships.Count(m => m.RoomId == r.Id && ids.Contains(m.UserId)) == count
                orderby r.Id
                select new RoomInfo(r.Id, r.Slug, r.Name, r.Kind)).FirstOrDefaultAsync(ct);
    }

    /// <summary>Finds or creates the direct room of the user and <paramref name="others"/>; or the reason it cannot.</summary>
    public async Task<(RoomInfo? Room, string? Error)> OpenAsync(string userId, IReadOnlyCollection<string> others, CancellationToken ct = default)
    {
        var people = others.Where(o => !string.IsNullOrEmpty(o) && o != userId).Distinct(StringComparer.Ordinal).ToList();
        if (people.Count == 0)
            return (null, "Pick at least one person.");
        if (people.Count + 1 > MaxPeople)
            return (null, $"A direct message is for at most {MaxPeople} people; make a members-only room instead.");
        var members = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id) || u.Id == userId)
            .Select(u => new Person(u.Id, u.DisplayName)).ToListAsync(ct);
        if (members.Count != people.Count + 1)
            return (null, "Some of those people do not exist.");

        if (await FindAsync(userId, people, ct) is { } existing)
            return (existing, null);

        var slug = RoomDirectory.RandomSlug(SlugPrefix);
        var name = string.Join(", ", members.Select(m => m.DisplayName).Order(StringComparer.CurrentCultureIgnoreCase));
        if (name.Length > Room.NameMaxLength)
            name = name[..(Room.NameMaxLength - 1)] + "…";
        var now = time.GetUtcNow();
        var strategy = db.Database.CreateExecutionStrategy();
        var createdId = await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var room = new Room { Slug = slug, Name = name, Kind = RoomKind.Direct, CreatedById = userId, CreatedAt = now };
            db.Rooms.Add(room);
            await db.SaveChangesAsync(ct);
            foreach (var m in members)
                db.Memberships.Add(new Membership { RoomId = room.Id, UserId = m.UserId, JoinedAt = now });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return room.Id;
        }, ct);
        db.ChangeTracker.Clear();
        var found = await FindAsync(userId, people, ct);
        // The same people started it at the same moment: the oldest is theirs and ours. This one is
        // still empty (nobody has been sent to it), so it goes.
        if (found is not null && found.Id != createdId)
            await db.Rooms.Where(r => r.Id == createdId).ExecuteDeleteAsync(ct);
        return found is not null ? (found, null) : (null, "The conversation could not be started; try again.");
    }
}

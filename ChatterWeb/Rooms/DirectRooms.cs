using System.Security.Cryptography;
using System.Text;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Rooms;

/// <summary>
/// Direct messages: a room of kind Direct whose members are fixed when it is created (1:1 or a
/// small group of at most <see cref="MaxPeople"/> including the starter). The same set of people
/// always gets the same room: its slug is derived from the sorted member ids, and the slug is unique.
/// Nobody else can see, read, join or post in it (it is not Open, and nobody manages its members).
/// </summary>
public sealed class DirectRooms(ChatterDbContext db, TimeProvider time)
{
    public const int MaxPeople = 8;
    public const string SlugPrefix = "dm-";

    public static string SlugFor(IEnumerable<string> userIds)
    {
        var key = string.Join('\n', userIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return SlugPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40];
    }

    /// <summary>Everyone else, by name, to pick from.</summary>
    public Task<List<Person>> PeopleAsync(string userId, CancellationToken ct = default) =>
        db.Users.AsNoTracking().Where(u => u.Id != userId).OrderBy(u => u.DisplayName)
            .Select(u => new Person(u.Id, u.DisplayName)).Take(500).ToListAsync(ct);

    /// <summary>The existing direct room of exactly these people (the user and <paramref name="others"/>), if any.</summary>
    public Task<RoomInfo?> FindAsync(string userId, IEnumerable<string> others, CancellationToken ct = default)
    {
        var slug = SlugFor(others.Append(userId));
        return db.Rooms.AsNoTracking().Where(r => r.Slug == slug && r.Kind == RoomKind.Direct)
            .Select(r => new RoomInfo(r.Id, r.Slug, r.Name, r.Kind)).SingleOrDefaultAsync(ct);
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

        var slug = SlugFor(people.Append(userId));
        var name = string.Join(", ", members.Select(m => m.DisplayName).Order(StringComparer.CurrentCultureIgnoreCase));
        if (name.Length > Room.NameMaxLength)
            name = name[..(Room.NameMaxLength - 1)] + "…";
        var now = time.GetUtcNow();
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async ct =>
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
            }, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // the same people started it at the same moment: theirs is ours
        }
        return await FindAsync(userId, people, ct) is { } room ? (room, null) : (null, "The conversation could not be started; try again.");
    }
}

using System.Text;
using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Rooms;

/// <summary>Finding rooms, who may read them, and creating them.</summary>
public sealed class RoomDirectory(ChatterDbContext db, TimeProvider time)
{
    /// <summary>The room if it exists and <paramref name="userId"/> may read it; null otherwise (callers answer 404/403 alike).</summary>
    public async Task<RoomInfo?> FindReadableAsync(string slug, string userId, CancellationToken ct = default)
    {
        if (!IsValidSlug(slug))
            return null;
        var room = await db.Rooms.AsNoTracking()
            .Where(r => r.Slug == slug)
            .Select(r => new RoomInfo(r.Id, r.Slug, r.Name, r.Kind))
            .SingleOrDefaultAsync(ct);
        if (room is null)
            return null;
        return room.Kind == RoomKind.Open || await IsMemberAsync(room.Id, userId, ct) ? room : null;
    }

    private sealed record VisitRow(long Id, string Slug, string Name, RoomKind Kind, long LastChangeSeq, long LastSeq, bool IsCreator, bool IsMember, long LastReadSeq, NotifyLevel Notify, long? FirstUnreadSeq, bool Archived, int PinCount);

    /// <summary>The room by slug with the viewer's membership row (left join), in one compiled query.</summary>
    private static readonly CompiledQuery<Func<ChatterDbContext, string, string, CancellationToken, Task<VisitRow?>>> VisitQuery = new(() =>
        EF.CompileAsyncQuery(Inline.Expand<Func<ChatterDbContext, string, string, CancellationToken, VisitRow?>>((db, slug, userId, ct) =>
            (from r in db.Rooms
             where r.Slug == slug
             join ms in db.Memberships.Where(ms => ms.UserId == userId) on r.Id equals ms.RoomId into member
             from ms in member.DefaultIfEmpty()
             select new VisitRow(r.Id, r.Slug, r.Name, r.Kind, r.LastChangeSeq, r.LastSeq, r.CreatedById == userId,
                 ms != null, ms == null ? 0 : ms.LastReadSeq, ms == null ? NotifyLevel.Default : ms.Notify,
                 ms == null ? null : db.Messages.Where(m => m.RoomId == r.Id && UnreadRule.Counts.Invoke(m, ms.LastReadSeq, r.LastSeq, userId)).Min(m => (long?)m.Seq),
                 r.ArchivedAt != null,
                 db.Messages.Count(m => m.RoomId == r.Id && m.PinnedAt != null)))
            .FirstOrDefault())));

    /// <summary>
    /// <see cref="FindReadableAsync"/>, the viewer's membership, <c>IsRoomCreator</c>, the counters and the
    /// viewer's first unread message (<see cref="UnreadRule"/>) and the room's pin count in one statement (the room page's first read). Null when the room does not exist or the user may not read it.
    /// </summary>
    public async Task<RoomVisit?> VisitAsync(string slug, string userId, CancellationToken ct = default)
    {
        if (!IsValidSlug(slug))
            return null;
        var row = await VisitQuery.For(db)(db, slug, userId, ct);
        if (row is null || (row.Kind != RoomKind.Open && !row.IsMember))
            return null;
        return new RoomVisit(new RoomInfo(row.Id, row.Slug, row.Name, row.Kind),
            row.IsMember ? (row.LastReadSeq, row.Notify) : null, row.IsCreator, row.LastChangeSeq, row.LastSeq, row.FirstUnreadSeq, row.Archived)
        {
            PinCount = row.PinCount,
        };
    }

    /// <summary>Whether an administrator has archived the room (read fresh: a socket's <see cref="RoomInfo"/> was read when it opened).</summary>
    public Task<bool> IsArchivedAsync(long roomId, CancellationToken ct = default) =>
        db.Rooms.AnyAsync(r => r.Id == roomId && r.ArchivedAt != null, ct);

    public Task<bool> IsMemberAsync(long roomId, string userId, CancellationToken ct = default) =>
        db.Memberships.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, ct);

    /// <summary>Open rooms, plus closed and direct rooms the user belongs to, by name.</summary>
    public Task<List<RoomInfo>> ListVisibleAsync(string userId, CancellationToken ct = default) =>
        db.Rooms.AsNoTracking()
            .Where(r => r.Kind == RoomKind.Open || db.Memberships.Any(m => m.RoomId == r.Id && m.UserId == userId))
            .OrderBy(r => r.Name)
            .Select(r => new RoomInfo(r.Id, r.Slug, r.Name, r.Kind))
            .ToListAsync(ct);

    /// <summary>
    /// A room the user can see (open, or closed and theirs; not a direct conversation) whose name differs
    /// from <paramref name="name"/> only by case, spacing or invisible characters (<see cref="NameText.Fold"/>),
    /// or null. Rooms the user cannot see are not compared: a refusal would give their names away.
    /// </summary>
    public async Task<RoomInfo?> FindSameNameAsync(string name, string userId, CancellationToken ct = default)
    {
        var key = NameText.Fold(name);
        return (await ListVisibleAsync(userId, ct)).FirstOrDefault(r => r.Kind != RoomKind.Direct && NameText.Fold(r.Name) == key);
    }

    /// <summary>Records that the user has joined the room (first visit or first post); idempotent.</summary>
    public async Task EnsureMemberAsync(long roomId, string userId, CancellationToken ct = default)
    {
        if (await IsMemberAsync(roomId, userId, ct))
            return;
        db.Memberships.Add(new Membership { RoomId = roomId, UserId = userId, JoinedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another tab joined at the same moment: the row exists, which is all we wanted.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Creates an open room with a unique slug derived from its name.</summary>
    public Task<RoomInfo> CreateOpenAsync(string name, string creatorId, CancellationToken ct = default) =>
        CreateAsync(name, creatorId, RoomKind.Open, ct);

    /// <summary>
    /// Creates a room; the creator is its first member. An open room's slug is derived from its name
    /// (made unique with -2, -3…); a closed room's is random (<see cref="RandomSlug"/>), so neither its
    /// own slug nor the slug of an open room of the same name created later says anything about it.
    /// </summary>
    public async Task<RoomInfo> CreateAsync(string name, string creatorId, RoomKind kind, CancellationToken ct = default)
    {
        name = name.Trim();
        var stem = kind == RoomKind.Open ? Slugify(name) : RandomSlug(ClosedSlugPrefix);
        if (kind != RoomKind.Direct && stem.StartsWith(DirectRooms.SlugPrefix, StringComparison.Ordinal))
            stem = ("room-" + stem)[..Math.Min(stem.Length + 5, Room.SlugMaxLength)]; // dm-… slugs belong to direct messages
        for (var attempt = 1; ; attempt++)
        {
            var slug = attempt == 1 ? stem : WithSuffix(stem, attempt);
            if (await db.Rooms.AnyAsync(r => r.Slug == slug, ct))
                continue;
            var room = new Room { Slug = slug, Name = name, Kind = kind, CreatedById = creatorId, CreatedAt = time.GetUtcNow() };
            db.Rooms.Add(room);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < 20)
            {
                db.ChangeTracker.Clear(); // the slug was taken between the check and the insert
                continue;
            }
            db.Memberships.Add(new Membership { RoomId = room.Id, UserId = creatorId, JoinedAt = room.CreatedAt });
            await db.SaveChangesAsync(ct);
            return new RoomInfo(room.Id, room.Slug, room.Name, room.Kind);
        }
    }

    /// <summary>What a closed room's random slug starts with.</summary>
    public const string ClosedSlugPrefix = "room-";

    /// <summary>The prefix and 96 random bits in hex: a slug that carries no name and cannot be guessed.</summary>
    public static string RandomSlug(string prefix) =>
        prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    public static bool IsValidSlug(string slug) =>
        slug.Length is > 0 and <= Room.SlugMaxLength && slug.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    /// <summary>"Design Review – Q3!" becomes "design-review-q3"; a name with no letters or digits becomes "room".</summary>
    public static string Slugify(string name)
    {
        var sb = new StringBuilder(Math.Min(name.Length, Room.SlugMaxLength));
        foreach (var ch in name.Normalize(NormalizationForm.FormD))
        {
            if (sb.Length == Room.SlugMaxLength)
                break;
            var c = char.ToLowerInvariant(ch);
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
                sb.Append(c);
            else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
                continue; // é -> e
            else if (sb.Length > 0 && sb[^1] != '-')
                sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "room" : slug;
    }

    private static string WithSuffix(string stem, int n)
    {
        var suffix = "-" + n;
        return (stem.Length + suffix.Length > Room.SlugMaxLength ? stem[..(Room.SlugMaxLength - suffix.Length)].TrimEnd('-') : stem) + suffix;
    }
}

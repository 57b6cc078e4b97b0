using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Notifications;

/// <summary>Loads the sidebar for one user: visible rooms, their direct messages, unread counts.</summary>
public sealed class Sidebar(ChatterDbContext db)
{
    private sealed record NavRow(long Id, string Slug, string Name, RoomKind Kind, bool IsMember, int Count, int Mentions);

    /// <summary>
    /// <see cref="RoomDirectory.ListVisibleAsync"/> and <see cref="ReadState.ForUserAsync"/> in one compiled
    /// query: the visible rooms by name, each left-joined to the user's membership, with the unread counts
    /// (<see cref="UnreadRule"/>) for the rooms they belong to.
    /// </summary>
    private static readonly CompiledQuery<Func<ChatterDbContext, string, IAsyncEnumerable<NavRow>>> NavQuery = new(() =>
        EF.CompileAsyncQuery(Inline.Expand<Func<ChatterDbContext, string, IQueryable<NavRow>>>((db, userId) =>
            from r in db.Rooms
            join ms in db.Memberships.Where(ms => ms.UserId == userId) on r.Id equals ms.RoomId into member
            from ms in member.DefaultIfEmpty()
            where r.Kind == RoomKind.Open || ms != null
            orderby r.Name
            select new NavRow(r.Id, r.Slug, r.Name, r.Kind, ms != null,
                ms == null ? 0 : db.Messages.Count(m => m.RoomId == r.Id && UnreadRule.Counts.Invoke(m, ms.LastReadSeq, r.LastSeq, userId)),
                ms == null ? 0 : db.Messages.Count(m => m.RoomId == r.Id && UnreadRule.Mentions.Invoke(m, ms.LastReadSeq, r.LastSeq, userId, ms.Notify))))));

    /// <summary>The whole sidebar: rooms, unread counts and direct messages (two reads, three when the user has direct messages).</summary>
    public async Task<RoomsNav> LoadAsync(string userId, string? currentSlug, CancellationToken ct = default)
    {
        var rooms = new List<RoomInfo>();
        var unread = new Dictionary<long, UnreadCount>();
        await foreach (var row in NavQuery.For(db)(db, userId).WithCancellation(ct))
        {
            rooms.Add(new RoomInfo(row.Id, row.Slug, row.Name, row.Kind));
            if (row.IsMember)
                unread[row.Id] = new UnreadCount(row.Count, row.Mentions);
        }
        var directs = await DirectsAsync(userId, rooms.Where(r => r.Kind == RoomKind.Direct).ToList(), ct);
        return new RoomsNav(rooms, currentSlug, unread, directs);
    }

    /// <summary>The user's direct rooms, each named by the other members (by name), ordered by those names.</summary>
    public async Task<List<DirectRoom>> DirectsAsync(string userId, CancellationToken ct = default)
    {
        var rooms = await (from m in db.Memberships.AsNoTracking()
                           join r in db.Rooms on m.RoomId equals r.Id
                           where m.UserId == userId && r.Kind == RoomKind.Direct
                           select new RoomInfo(r.Id, r.Slug, r.Name, r.Kind)).ToListAsync(ct);
        return await DirectsAsync(userId, rooms, ct);
    }

    private sealed record Other(long RoomId, string DisplayName);

    private static readonly CompiledQuery<Func<ChatterDbContext, List<long>, string, IAsyncEnumerable<Other>>> OthersQuery = new(() =>
        EF.CompileAsyncQuery((ChatterDbContext db, List<long> ids, string userId) =>
            from m in db.Memberships
            join u in db.Users on m.UserId equals u.Id
            where ids.Contains(m.RoomId) && m.UserId != userId
            select new Other(m.RoomId, u.DisplayName)));

    private async Task<List<DirectRoom>> DirectsAsync(string userId, List<RoomInfo> rooms, CancellationToken ct)
    {
        if (rooms.Count == 0)
            return [];
        var ids = rooms.Select(r => r.Id).ToList();
        var others = new List<(long RoomId, string DisplayName)>();
        await foreach (var o in OthersQuery.For(db)(db, ids, userId).WithCancellation(ct))
            others.Add((o.RoomId, o.DisplayName));
        var names = others.GroupBy(o => o.RoomId).ToDictionary(
            g => g.Key, g => string.Join(", ", g.Select(o => o.DisplayName).Order(StringComparer.CurrentCultureIgnoreCase)));
        return [.. rooms.Select(r => new DirectRoom(r, names.GetValueOrDefault(r.Id) ?? "Just you"))
            .OrderBy(d => d.Names, StringComparer.CurrentCultureIgnoreCase)];
    }
}

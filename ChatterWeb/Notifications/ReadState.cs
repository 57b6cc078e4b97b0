using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Notifications;

/// <summary>
/// Read state: <see cref="Membership.LastReadSeq"/> is the highest seq the member has read to the
/// bottom of; everything above it written by someone else is unread. Only members have read state,
/// so only members ever get counts.
/// </summary>
public sealed class ReadState(ChatterDbContext db, IReadMarkRows readMarks, WriteTurns turns, UnreadWindows windows)
{
    /// <summary>Unread counts in every room the user belongs to (rooms with nothing unread included, as 0).</summary>
    public Task<Dictionary<long, UnreadCount>> ForUserAsync(string userId, CancellationToken ct = default) =>
        Counted(db.Memberships.Where(ms => ms.UserId == userId)).ToDictionaryAsync(x => x.RoomId, x => x.Unread, ct);

    public async Task<UnreadCount> ForRoomAsync(long roomId, string userId, CancellationToken ct = default) =>
        (await Counted(db.Memberships.Where(ms => ms.RoomId == roomId && ms.UserId == userId)).ToListAsync(ct)).Select(x => x.Unread).FirstOrDefault();

    private sealed record RoomUnread(long RoomId, int Count, int Mentions)
    {
        public UnreadCount Unread => new(Count, Mentions);
    }

    /// <summary>The members' counts in their rooms, by <see cref="UnreadRule"/>: two correlated counts per membership.</summary>
    private IQueryable<RoomUnread> Counted(IQueryable<Membership> memberships) =>
        (from ms in memberships.AsNoTracking()
         join r in db.Rooms on ms.RoomId equals r.Id
         select new RoomUnread(ms.RoomId,
             db.Messages.Count(m => m.RoomId == ms.RoomId && UnreadRule.Counts.Invoke(m, ms.LastReadSeq, r.LastSeq, ms.UserId)),
             db.Messages.Count(m => m.RoomId == ms.RoomId && UnreadRule.Mentions.Invoke(m, ms.LastReadSeq, r.LastSeq, ms.UserId, ms.Notify))))
        .Expanded();

    /// <summary>
    /// Every member of the room with their unread count there: the members' read positions, the room's
    /// row, and its window of messages (at most <see cref="UnreadRule.CountWindow"/>), kept between calls
    /// by <see cref="UnreadWindows"/>, so a busy room reads only what is new or changed. Each member's
    /// counts are then made in memory by the same rule, not by a COUNT per member (200 members were 400
    /// correlated counts of up to 1,000 rows each, per post gathering), and not by asking the rule of each
    /// message for each member (<see cref="WindowTally"/>).
    /// </summary>
    public async Task<List<MemberUnread>> MembersAsync(long roomId, CancellationToken ct = default)
    {
        var members = await db.Memberships.AsNoTracking()
            .Where(ms => ms.RoomId == roomId)
            .Select(ms => new { ms.UserId, ms.Notify, ms.LastReadSeq })
            .ToListAsync(ct);
        if (members.Count == 0)
            return [];
        var mark = await db.Rooms.AsNoTracking().Where(r => r.Id == roomId)
            .Select(r => new UnreadWindows.RoomMark(r.LastSeq, r.LastChangeSeq, r.CreatedAt)).FirstOrDefaultAsync(ct);
        var lastSeq = mark.LastSeq;
        var rows = await windows.ReadAsync(db, roomId, mark, ct);
        // Only what the rule could count for someone: above the lowest read position (the rows ascend by Seq).
        var lowest = members.Min(m => m.LastReadSeq);
        var window = new List<Message>(rows.Count);
        for (var i = rows.Count - 1; i >= 0 && rows[i].Seq > lowest; i--)
            window.Add(rows[i]);
        var mentioning = window.FindAll(m => m.Mentions is not null || m.RoomMention == RoomMention.Room);
        var tally = new WindowTally(window, lastSeq);
        return members.ConvertAll(member => new MemberUnread(member.UserId, member.Notify,
            tally.Count(member.LastReadSeq, member.UserId),
            mentioning.Count(m => UnreadRule.MentionsIn(m, member.LastReadSeq, lastSeq, member.UserId, member.Notify))));
    }

    /// <summary>The member's LastReadSeq and setting, or null when they are not a member.</summary>
    public async Task<(long LastReadSeq, NotifyLevel Notify)?> MembershipAsync(long roomId, string userId, CancellationToken ct = default) =>
        (await db.Memberships.AsNoTracking().Where(ms => ms.RoomId == roomId && ms.UserId == userId)
            .Select(ms => new { ms.LastReadSeq, ms.Notify }).ToListAsync(ct))
            .Select(x => ((long, NotifyLevel)?)(x.LastReadSeq, x.Notify)).FirstOrDefault();

    /// <summary>
    /// The member has read up to <paramref name="upToSeq"/> (clamped to the room's newest seq; read
    /// state never goes back). True when it moved.
    /// </summary>
    public async Task<bool> MarkReadAsync(long roomId, string userId, long upToSeq, CancellationToken ct = default)
    {
        var last = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).FirstOrDefaultAsync(ct);
        var seq = Math.Min(upToSeq, last);
        if (seq <= 0)
            return false;
        return await db.Memberships
            .Where(ms => ms.RoomId == roomId && ms.UserId == userId && ms.LastReadSeq < seq)
            .ExecuteUpdateAsync(s => s.SetProperty(ms => ms.LastReadSeq, seq), ct) > 0;
    }

    /// <summary>
    /// Several read marks (the read-state worker's gathering): each clamped to its room's newest seq,
    /// none going back. Returns exactly the marks that moved a read position. Whole rooms are packed
    /// into transactions of at most <see cref="MarksPerTurn"/> marks, each in its own
    /// <see cref="WriteTurns">turn</see>: with two thousand people reading along, one transaction for
    /// every mark held SQLite's write lock long enough to stall the message writer every second;
    /// between two transactions the writer takes its turn. A gathering of a few hundred marks over
    /// many small rooms stays one transaction (one commit, not one per room).
    /// </summary>
    public async Task<List<(Rooms.RoomInfo Room, string UserId)>> MarkReadAsync(
        IReadOnlyList<(Rooms.RoomInfo Room, string UserId, long UpToSeq)> marks, CancellationToken ct = default)
    {
        var roomIds = marks.Select(m => m.Room.Id).Distinct().ToList();
        // Read before the writes: LastSeq only grows, so a clamp to this value never passes the newest.
        var newest = await db.Rooms.Where(r => roomIds.Contains(r.Id)).Select(r => new { r.Id, r.LastSeq }).ToDictionaryAsync(r => r.Id, r => r.LastSeq, ct);
        var rooms = marks
            .GroupBy(m => (m.Room.Id, m.UserId)) // one mark per reader and room: the furthest
            .Select(g => (g.First().Room, g.Key.UserId, Seq: Math.Min(g.Max(m => m.UpToSeq), newest.GetValueOrDefault(g.Key.Id))))
            .Where(m => m.Seq > 0)
            .GroupBy(m => m.Room.Id, m => m)
            .Select(g => g.ToArray());
        var turnsOfRooms = new List<List<(Rooms.RoomInfo Room, string UserId, long Seq)[]>>();
        var inTurn = 0;
        foreach (var room in rooms)
        {
            if (turnsOfRooms.Count == 0 || (inTurn > 0 && inTurn + room.Length > MarksPerTurn))
            {
                turnsOfRooms.Add([]);
                inTurn = 0;
            }
            turnsOfRooms[^1].Add(room);
            inTurn += room.Length;
        }
        var moved = new List<(Rooms.RoomInfo, string)>();
        var movedHere = new List<(Rooms.RoomInfo, string)>();
        foreach (var together in turnsOfRooms)
        {
            using var turn = await turns.TakeAsync(ct);
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
            {
                movedHere.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                foreach (var room in together)
                {
                    foreach (var chunk in room.Chunk(IReadMarkRows.PerStatement))
                    {
                        foreach (var userId in await readMarks.MoveAsync(chunk[0].Room.Id, [.. chunk.Select(m => (m.UserId, m.Seq))], ct))
                            movedHere.Add((chunk[0].Room, userId));
                    }
                }
                await tx.CommitAsync(ct);
            }, ct);
            moved.AddRange(movedHere);
        }
        return moved;
    }

    /// <summary>Most read marks written in one transaction (one turn), unless a single room has more.</summary>
    internal const int MarksPerTurn = 250;

    public async Task<bool> SetNotifyAsync(long roomId, string userId, NotifyLevel level, CancellationToken ct = default) =>
        await db.Memberships.Where(ms => ms.RoomId == roomId && ms.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(ms => ms.Notify, level), ct) > 0;

    /// <summary>What the setting means in a room of this kind: "Default" is everything in direct messages, mentions elsewhere.</summary>
    public static NotifyLevel Effective(NotifyLevel level, RoomKind kind) =>
        level != NotifyLevel.Default ? level : kind == RoomKind.Direct ? NotifyLevel.Everything : NotifyLevel.Mentions;
}

using ChatterWeb.Messages;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatterWeb.Notifications;

/// <summary>Unread messages in one room for one member (not their own, not deleted), and how many mention them.</summary>
public readonly record struct UnreadCount(int Count, int Mentions);

/// <summary>One member of a room, their setting and their unread count there.</summary>
public sealed record MemberUnread(string UserId, NotifyLevel Notify, int Count, int Mentions);

/// <summary>
/// Read state: <see cref="Membership.LastReadSeq"/> is the highest seq the member has read to the
/// bottom of; everything above it written by someone else is unread. Only members have read state,
/// so only members ever get counts.
/// </summary>
public sealed class ReadState(ChatterDbContext db)
{
    /// <summary>
    /// Counts look at the newest this-many messages of a room only: a seek on (RoomId, Seq) that reads
    /// at most this many rows however far behind someone is (the badge shows "99+" long before).
    /// Without it, one member who never opened a room of a million messages costs a million-row
    /// count on every post and every page.
    /// </summary>
    public const int CountWindow = 1000;

    /// <summary>Unread counts in every room the user belongs to (rooms with nothing unread included, as 0).</summary>
    public Task<Dictionary<long, UnreadCount>> ForUserAsync(string userId, CancellationToken ct = default) =>
        db.Memberships.AsNoTracking()
            .Where(ms => ms.UserId == userId)
            .Select(ms => new
            {
                ms.RoomId,
                Count = db.Messages.Count(m => m.RoomId == ms.RoomId && m.Seq > ms.LastReadSeq && m.Seq > db.Rooms.Where(r => r.Id == ms.RoomId).Select(r => r.LastSeq).First() - CountWindow && m.AuthorId != ms.UserId && m.DeletedAt == null),
                Mentions = db.Messages.Count(m => m.RoomId == ms.RoomId && m.Seq > ms.LastReadSeq && m.Seq > db.Rooms.Where(r => r.Id == ms.RoomId).Select(r => r.LastSeq).First() - CountWindow && m.AuthorId != ms.UserId && m.DeletedAt == null
                    && m.Mentions != null && m.Mentions.Contains(ms.UserId)),
            })
            .ToDictionaryAsync(x => x.RoomId, x => new UnreadCount(x.Count, x.Mentions), ct);

    /// <summary>
    /// Every member of the room with their unread count there. Two reads, whatever the room's size:
    /// the members' read positions, then the window of messages above the lowest of them (at most
    /// <see cref="CountWindow"/> rows); each member's count is then a binary search, not a COUNT
    /// per member (200 members were 400 correlated counts of up to 1,000 rows each, per post gathering).
    /// </summary>
    public async Task<List<MemberUnread>> MembersAsync(long roomId, CancellationToken ct = default)
    {
        var members = await db.Memberships.AsNoTracking()
            .Where(ms => ms.RoomId == roomId)
            .Select(ms => new { ms.UserId, ms.Notify, ms.LastReadSeq })
            .ToListAsync(ct);
        if (members.Count == 0)
            return [];
        var lastSeq = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).FirstOrDefaultAsync(ct);
        var floor = Math.Max(lastSeq - CountWindow, members.Min(m => m.LastReadSeq));
        var window = await db.Messages.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.Seq > floor && m.DeletedAt == null)
            .OrderBy(m => m.Seq)
            .Select(m => new { m.Seq, m.AuthorId, m.Mentions })
            .ToListAsync(ct);

        var seqs = window.ConvertAll(m => m.Seq);
        var byAuthor = window.GroupBy(m => m.AuthorId).ToDictionary(g => g.Key, g => g.Select(m => m.Seq).ToList());
        var mentioning = window.Where(m => m.Mentions is not null).ToList();
        var counted = new List<MemberUnread>(members.Count);
        foreach (var member in members)
        {
            var from = Math.Max(lastSeq - CountWindow, member.LastReadSeq); // unread: Seq > from
            var count = Above(seqs, from) - (byAuthor.TryGetValue(member.UserId, out var own) ? Above(own, from) : 0);
            var mentions = 0;
            foreach (var m in mentioning)
            {
                if (m.Seq > from && m.AuthorId != member.UserId && Mentions.Includes(m.Mentions, member.UserId))
                    mentions++;
            }
            counted.Add(new MemberUnread(member.UserId, member.Notify, count, mentions));
        }
        return counted;
    }

    /// <summary>How many of the ascending <paramref name="seqs"/> are above <paramref name="seq"/>.</summary>
    private static int Above(List<long> seqs, long seq)
    {
        var i = seqs.BinarySearch(seq);
        return seqs.Count - (i >= 0 ? i + 1 : ~i);
    }

    public async Task<UnreadCount> ForRoomAsync(long roomId, string userId, CancellationToken ct = default) =>
        (await db.Memberships.AsNoTracking()
            .Where(ms => ms.RoomId == roomId && ms.UserId == userId)
            .Select(ms => new
            {
                Count = db.Messages.Count(m => m.RoomId == roomId && m.Seq > ms.LastReadSeq && m.Seq > db.Rooms.Where(r => r.Id == ms.RoomId).Select(r => r.LastSeq).First() - CountWindow && m.AuthorId != ms.UserId && m.DeletedAt == null),
                Mentions = db.Messages.Count(m => m.RoomId == roomId && m.Seq > ms.LastReadSeq && m.Seq > db.Rooms.Where(r => r.Id == ms.RoomId).Select(r => r.LastSeq).First() - CountWindow && m.AuthorId != ms.UserId && m.DeletedAt == null
                    && m.Mentions != null && m.Mentions.Contains(ms.UserId)),
            })
            .ToListAsync(ct)).Select(x => new UnreadCount(x.Count, x.Mentions)).FirstOrDefault();

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
    /// Several read marks in one transaction (the read-state worker's gathering): each clamped to its
    /// room's newest seq, none going back. Returns exactly the marks that moved a read position.
    /// </summary>
    public async Task<List<(Rooms.RoomInfo Room, string UserId)>> MarkReadAsync(
        IReadOnlyList<(Rooms.RoomInfo Room, string UserId, long UpToSeq)> marks, CancellationToken ct = default)
    {
        var roomIds = marks.Select(m => m.Room.Id).Distinct().ToList();
        var moved = new List<(Rooms.RoomInfo, string)>();
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            moved.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var newest = await db.Rooms.Where(r => roomIds.Contains(r.Id)).Select(r => new { r.Id, r.LastSeq }).ToDictionaryAsync(r => r.Id, r => r.LastSeq, ct);
            var rooms = marks
                .GroupBy(m => (m.Room.Id, m.UserId)) // one mark per reader and room: the furthest
                .Select(g => (g.First().Room, g.Key.UserId, Seq: Math.Min(g.Max(m => m.UpToSeq), newest.GetValueOrDefault(g.Key.Id))))
                .Where(m => m.Seq > 0)
                .GroupBy(m => m.Room.Id);
            foreach (var room in rooms)
            {
                foreach (var chunk in room.Chunk(MarksPerStatement))
                {
                    foreach (var userId in await MoveReadPositionsAsync(room.Key, [.. chunk.Select(m => (m.UserId, m.Seq))], ct))
                        moved.Add((chunk[0].Room, userId));
                }
            }
            await tx.CommitAsync(ct);
        }, ct);
        return moved;
    }

    /// <summary>Readers per statement: two parameters each, well inside SQL Server's 2,100.</summary>
    internal const int MarksPerStatement = 500;

    /// <summary>
    /// One room's read marks as ONE statement: each reader's position moves to their own seq where
    /// that is further on, and the statement returns who moved (SQLite RETURNING, SQL Server OUTPUT).
    /// Readers of a busy room report many different seqs (each tab marks what it has shown), so one
    /// UPDATE per room and seq was about 150 statements a second at 30,000 deliveries a second, each
    /// through EF's ExecuteUpdate pipeline and a fresh statement preparation.
    /// </summary>
    private async Task<List<string>> MoveReadPositionsAsync(long roomId, IReadOnlyList<(string UserId, long Seq)> readers, CancellationToken ct)
    {
        if (db.Database.IsSqlServer() || db.Database.IsSqlite())
        {
            // the provider's own mapping of the key column: on SQL Server nvarchar(450), as EF sends it (a seek, one cached plan per reader count)
            var userIdColumn = db.Model.FindEntityType(typeof(Membership))!.FindProperty(nameof(Membership.UserId))!.GetRelationalTypeMapping();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = MoveReadPositionsSql(readers.Count, db.Database.IsSqlServer());
            command.AddParameter("@room", roomId);
            for (var i = 0; i < readers.Count; i++)
            {
                command.Parameters.Add(userIdColumn.CreateParameter(command, $"@u{i}", readers[i].UserId, nullable: false));
                command.AddParameter($"@s{i}", readers[i].Seq);
            }
            var moved = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                moved.Add(reader.GetString(0));
            return moved;
        }
        throw new NotSupportedException("Read state is stored on SQLite or SQL Server.");
    }

    /// <summary>The statements by reader count, made once per count and provider (SQLite first, then SQL Server).</summary>
    private static readonly string?[] MoveSql = new string?[2 * (MarksPerStatement + 1)];

    /// <summary>The statement for <paramref name="readers"/> readers: <c>@room</c>, then <c>@u0</c>/<c>@s0</c> and on.</summary>
    private static string MoveReadPositionsSql(int readers, bool sqlServer) =>
        MoveSql[(sqlServer ? MarksPerStatement + 1 : 0) + readers] ??= BuildMoveReadPositionsSql(readers, sqlServer);

    private static string BuildMoveReadPositionsSql(int readers, bool sqlServer)
    {
        var range = Enumerable.Range(0, readers);
        var each = string.Concat(range.Select(i => $" WHEN @u{i} THEN @s{i}"));
        var users = string.Join(", ", range.Select(i => $"@u{i}"));
        return sqlServer
            ? $"UPDATE [Memberships] SET [LastReadSeq] = CASE [UserId]{each} END OUTPUT INSERTED.[UserId] "
              + $"WHERE [RoomId] = @room AND [UserId] IN ({users}) AND [LastReadSeq] < CASE [UserId]{each} END"
            : $"UPDATE \"Memberships\" SET \"LastReadSeq\" = CASE \"UserId\"{each} END "
              + $"WHERE \"RoomId\" = @room AND \"UserId\" IN ({users}) AND \"LastReadSeq\" < CASE \"UserId\"{each} END RETURNING \"UserId\"";
    }

    public async Task<bool> SetNotifyAsync(long roomId, string userId, NotifyLevel level, CancellationToken ct = default) =>
        await db.Memberships.Where(ms => ms.RoomId == roomId && ms.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(ms => ms.Notify, level), ct) > 0;

    /// <summary>What the setting means in a room of this kind: "Default" is everything in direct messages, mentions elsewhere.</summary>
    public static NotifyLevel Effective(NotifyLevel level, RoomKind kind) =>
        level != NotifyLevel.Default ? level : kind == RoomKind.Direct ? NotifyLevel.Everything : NotifyLevel.Mentions;
}

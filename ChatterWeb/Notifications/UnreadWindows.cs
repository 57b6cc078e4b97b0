using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Notifications;

/// <summary>
/// The count windows of rooms (their newest <see cref="UnreadRule.CountWindow"/> undeleted messages,
/// the columns <see cref="UnreadRule"/> reads), kept in memory between gatherings so that a busy room
/// costs the database the rows that are new or changed since the last gathering, not the whole window
/// again: ten busy rooms re-read 600-1,000 rows each once a second, 40-50 ms of a core that delayed
/// every message delivered meanwhile.
/// <para>
/// A kept window is only ever brought up to date from the database, never from events, so it holds on
/// every instance: it is valid while the room is the same room (its <see cref="Room.CreatedAt"/>) and
/// its <see cref="Room.LastSeq"/> and <see cref="Room.LastChangeSeq"/> have not gone back. New
/// messages are the rows above the kept LastSeq; every edit, delete, reaction, pin and thread summary
/// takes the room's next change number (<see cref="Messages.MessageChanges"/>) and stamps it on the
/// message, so the changed ones are the rows above the kept LastChangeSeq. Both reads are bounded by
/// the LastSeq read from the room's row just before them, so nothing committed in between is skipped
/// (a change committed meanwhile is read again next time at worst). A database is restored with every
/// instance stopped (docs/OPERATIONS.md), which empties the windows.
/// </para>
/// </summary>
public sealed class UnreadWindows
{
    /// <summary>
    /// Most rows kept over all rooms (see <see cref="Window.Weight"/>); the least recently counted rooms
    /// are dropped beyond it. A row is a <see cref="Message"/> with only the rule's columns filled, about
    /// 350 bytes with its author's id: 50,000 rows are under 20 MB. Fifty busy rooms of 1,000 messages
    /// fill it; with more than that counted in turn, the windows are read whole again.
    /// </summary>
    internal const int DefaultMaxRows = 50_000;

    private readonly int _maxRows;

    public UnreadWindows() : this(DefaultMaxRows)
    {
    }

    internal UnreadWindows(int maxRows) => _maxRows = maxRows;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Window> _rooms = [];
    private long _rows;
    private long _uses;

    /// <summary>The room's position as read from its row: what a kept window must match.</summary>
    public readonly record struct RoomMark(long LastSeq, long LastChangeSeq, DateTimeOffset CreatedAt);

    private sealed class Window(RoomMark mark, List<Message> rows)
    {
        public RoomMark Mark { get; } = mark;

        /// <summary>Ascending by Seq; never changed once kept (a newer window replaces it).</summary>
        public List<Message> Rows { get; } = rows;

        public long Used;

        /// <summary>
        /// What the window counts against the most rows kept: a row is one, plus one for every 256
        /// characters of its mention and thread lists (an <c>@here</c> in a big room names hundreds of
        /// people); an empty window is one.
        /// </summary>
        public long Weight { get; } = Math.Max(1, rows.Sum(m => 1L + ((m.Mentions?.Length ?? 0) + (m.ThreadPeople?.Length ?? 0)) / 256));
    }

    /// <summary>Rooms whose window is kept.</summary>
    internal int KeptRooms
    {
        get
        {
            lock (_gate)
                return _rooms.Count;
        }
    }

    /// <summary>Rows read from the database since start (for tests: a window brought up to date reads only what is new).</summary>
    internal long RowsRead => Interlocked.Read(ref _rowsRead);

    private long _rowsRead;

    /// <summary>
    /// The room's undeleted messages with Seq in (LastSeq - CountWindow, LastSeq], ascending, as of
    /// <paramref name="mark"/> (read from the room's row just before). The list is shared: do not change it.
    /// </summary>
    public async Task<IReadOnlyList<Message>> ReadAsync(ChatterDbContext db, long roomId, RoomMark mark, CancellationToken ct)
    {
        Window? kept;
        lock (_gate)
            _rooms.TryGetValue(roomId, out kept);
        var start = mark.LastSeq - UnreadRule.CountWindow;
        List<Message> rows;
        if (kept is not null && kept.Mark.CreatedAt == mark.CreatedAt && kept.Mark.LastSeq <= mark.LastSeq && kept.Mark.LastChangeSeq <= mark.LastChangeSeq)
        {
            if (kept.Mark == mark)
            {
                Touch(kept);
                return kept.Rows;
            }
            // Two seeks, not one scan of the window: the new rows on (RoomId, Seq), the changed ones (only
            // when the room's change number moved) on (RoomId, ChangeSeq).
            var (keptSeq, keptChange) = (kept.Mark.LastSeq, kept.Mark.LastChangeSeq);
            var after = Math.Max(start, keptSeq);
            var added = keptSeq == mark.LastSeq ? [] : await Rows(db.Messages.Where(m => m.RoomId == roomId && m.Seq > after && m.Seq <= mark.LastSeq), ct);
            var changed = keptChange == mark.LastChangeSeq ? [] : await Rows(db.Messages.Where(m => m.RoomId == roomId && m.ChangeSeq > keptChange
                && m.Seq > start && m.Seq <= keptSeq), ct);
            rows = Merge(kept.Rows, changed, added, start);
        }
        else
        {
            rows = await Rows(db.Messages.Where(m => m.RoomId == roomId && m.Seq > start && m.Seq <= mark.LastSeq && m.DeletedAt == null), ct);
        }
        Keep(roomId, new Window(mark, rows));
        return rows;
    }

    /// <summary>The kept rows above <paramref name="start"/>, changed ones replaced (deleted ones dropped), then the added ones.</summary>
    private static List<Message> Merge(List<Message> kept, List<Message> changed, List<Message> added, long start)
    {
        var now = changed.ToDictionary(m => m.Seq);
        var rows = new List<Message>(kept.Count + added.Count);
        foreach (var row in kept)
        {
            if (row.Seq <= start)
                continue;
            if (!now.TryGetValue(row.Seq, out var changedRow))
                rows.Add(row);
            else if (changedRow.DeletedAt is null)
                rows.Add(changedRow);
        }
        foreach (var row in added)
        {
            if (row.DeletedAt is null)
                rows.Add(row);
        }
        return rows;
    }

    private async Task<List<Message>> Rows(IQueryable<Message> messages, CancellationToken ct)
    {
        var rows = await messages.AsNoTracking()
            .OrderBy(m => m.Seq)
            .Select(m => new Message
            {
                Seq = m.Seq, AuthorId = m.AuthorId, Mentions = m.Mentions, RoomMention = m.RoomMention, ParentSeq = m.ParentSeq,
                AlsoInRoom = m.AlsoInRoom, ThreadPeople = m.ThreadPeople, DeletedAt = m.DeletedAt, Body = "", ClientMessageId = "",
            })
            .ToListAsync(ct);
        Interlocked.Add(ref _rowsRead, rows.Count);
        return rows;
    }

    private void Touch(Window window)
    {
        lock (_gate)
            window.Used = ++_uses;
    }

    /// <summary>
    /// Keeps the window in place of the room's last one. Beyond the most rows kept, the least
    /// recently counted rooms are dropped until nine tenths are left, so a full cache sorts its rooms
    /// once per tenth it turns over, not on every gathering.
    /// </summary>
    private void Keep(long roomId, Window window)
    {
        lock (_gate)
        {
            // Every window is the database's as of its own mark, so the one read last replaces any other
            // (two gatherings racing at worst leave the older: the next one reads a little more).
            if (_rooms.TryGetValue(roomId, out var other))
                _rows -= other.Weight;
            window.Used = ++_uses;
            _rooms[roomId] = window;
            _rows += window.Weight;
            if (_rows <= _maxRows)
                return;
            var keep = _maxRows - _maxRows / 10;
            foreach (var (id, old) in _rooms.OrderBy(r => r.Value.Used).ToList())
            {
                if (_rows <= keep)
                    break;
                if (id == roomId)
                    continue;
                _rooms.Remove(id);
                _rows -= old.Weight;
            }
        }
    }
}

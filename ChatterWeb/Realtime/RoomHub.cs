using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Realtime;

/// <summary>
/// This instance's open sockets by room. Listens to a room on the bus while it has at least one
/// socket there; delivering a frame is a lock-free walk over an immutable array of connections.
/// </summary>
public sealed class RoomHub(IRoomBus bus, IOptions<RealtimeOptions> options)
{
    private readonly long _paceTicks = (long)(options.Value.RoomSendInterval.TotalSeconds * Stopwatch.Frequency);

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, Group> _rooms = new();

    /// <summary>How long a message waits for a missing lower seq before it is sent anyway.</summary>
    internal static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(250);

    private sealed class Group
    {
        public RoomConnection[] Connections = [];
        public IDisposable? Lease;

        // Seq order is commit order, but two posts committed a moment apart can reach the hub in the
        // other order (each publishes after its own commit, and Redis keeps publish order, not seq
        // order). Messages are therefore released in seq order: one that arrives ahead of a gap
        // waits, at most ReorderWindow, for the gap to fill. A gap that never fills (the publish was
        // lost) is healed by the page's resume.
        public long NextSeq;
        public readonly SortedDictionary<long, RoomFrame> Held = [];
        public Timer? FlushTimer;

        // Frames released for the room's sockets, in order, and whether a pump is sending them. The
        // deliverer only appends (it never walks the sockets itself), so a publish costs the
        // publisher (the message writer, the Redis reader) one append, and rooms fan out in parallel.
        public readonly List<Outgoing> Outbox = [];
        public bool Pumping;

        // Pacing (RoomPace); the timer runs the pump when a flooded room's next send is due.
        // Pumping stays true meanwhile, so whatever arrives queues (and is joined) behind the waiting frame.
        public required RoomPace Pace;
        public Timer? PaceTimer;

        // The room's last socket left (set under the lock, with the timers disposed): nothing
        // arms a timer again (Change on a disposed timer throws), and frames go nowhere.
        public bool Closed;
    }

    /// <summary>
    /// A frame for every socket of the room, or (<see cref="Only"/>) for one of them, in the room's
    /// order. <see cref="Message"/>: a room-wide message (a seq), which a frame for one socket may
    /// follow instead of precede; room state (presence) it may not.
    /// </summary>
    internal readonly record struct Outgoing(ReadOnlyMemory<byte> Html, RoomConnection? Only = null, bool Message = false);

    private static readonly TimeSpan ListeningWait = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, int> _socketsPerUser = [];
    private int _sockets;

    /// <summary>Sockets reserved or open on this instance.</summary>
    public int ConnectionCount => Volatile.Read(ref _sockets);

    /// <summary>
    /// Takes a place for one more socket before the upgrade, within the per-user and per-instance
    /// caps; null when granted, otherwise the status code to answer with. Release with <see cref="Release"/>.
    /// </summary>
    public int? TryReserve(string userId, int maxPerUser, int maxPerInstance)
    {
        lock (_gate)
        {
            if (_sockets >= maxPerInstance)
                return StatusCodes.Status503ServiceUnavailable;
            _socketsPerUser.TryGetValue(userId, out var mine);
            if (mine >= maxPerUser)
                return StatusCodes.Status429TooManyRequests;
            _socketsPerUser[userId] = mine + 1;
            _sockets++;
            return null;
        }
    }

    public void Release(string userId)
    {
        lock (_gate)
        {
            if (!_socketsPerUser.TryGetValue(userId, out var mine))
                return;
            if (mine <= 1)
                _socketsPerUser.Remove(userId);
            else
                _socketsPerUser[userId] = mine - 1;
            _sockets--;
        }
    }

    /// <summary>
    /// Adds the socket; the task completes once the room is subscribed on the bus (at once in
    /// process; within <see cref="ListeningWait"/> at most with Redis, which may be down).
    /// </summary>
    public Task Add(RoomConnection connection)
    {
        Task listening;
        lock (_gate)
        {
            if (!_rooms.TryGetValue(connection.RoomId, out var group))
            {
                group = new Group { Pace = new RoomPace(_paceTicks) };
                _rooms[connection.RoomId] = group;
                group.Lease = bus.Listen(connection.RoomId, Deliver);
            }
            Volatile.Write(ref group.Connections, [.. group.Connections, connection]);
            listening = group.Lease is IListenLease lease ? lease.Listening : Task.CompletedTask;
        }
        return listening.IsCompleted ? Task.CompletedTask : WaitListeningAsync(listening);
    }

    private static async Task WaitListeningAsync(Task listening)
    {
        try
        {
            await listening.WaitAsync(ListeningWait);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Redis is down: the socket is served locally; the gap is healed when Redis is back.
        }
    }

    /// <summary>Rooms with at least one socket on this instance.</summary>
    public IReadOnlyCollection<long> Rooms => [.. _rooms.Keys];

    public void Remove(RoomConnection connection)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(connection.RoomId, out var group))
                return;
            var remaining = Array.FindAll(group.Connections, c => !ReferenceEquals(c, connection));
            Volatile.Write(ref group.Connections, remaining);
            if (remaining.Length == 0)
            {
                _rooms.TryRemove(connection.RoomId, out _);
                group.Lease?.Dispose();
                lock (group)
                {
                    group.Closed = true;
                    group.FlushTimer?.Dispose();
                    group.PaceTimer?.Dispose();
                    group.FlushTimer = group.PaceTimer = null;
                }
            }
        }
    }

    /// <summary>Hands the frame to every local socket in its room, messages in seq order. Never waits for a client.</summary>
    public void Deliver(RoomFrame frame)
    {
        if (!_rooms.TryGetValue(frame.RoomId, out var group))
            return;
        lock (group)
        {
            if (group.Closed)
                return; // its last socket left after the lookup
            if (frame.Seq == 0)
                Send(group, frame); // presence and other state: no order to keep
            else if (group.NextSeq == 0 || frame.Seq <= group.NextSeq)
            {
                Send(group, frame); // in order, or late (the page drops what it has and sorts)
                group.NextSeq = Math.Max(group.NextSeq, frame.Seq + 1);
                while (group.Held.Remove(group.NextSeq, out var next))
                {
                    Send(group, next);
                    group.NextSeq++;
                }
                if (group.Held.Count == 0)
                    group.FlushTimer?.Change(Timeout.Infinite, Timeout.Infinite);
            }
            else
            {
                group.Held[frame.Seq] = frame;
                group.FlushTimer ??= NewTimer(static state => FlushHeld((Group)state!), group);
                if (group.Held.Count == 1)
                    group.FlushTimer.Change(ReorderWindow, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The gap did not fill in time: send what is held, in order, and move on.</summary>
    private static void FlushHeld(Group group)
    {
        lock (group)
        {
            if (group.Closed)
                return; // fired as the room's last socket left
            foreach (var (seq, held) in group.Held)
            {
                Send(group, held);
                group.NextSeq = seq + 1;
            }
            group.Held.Clear();
        }
    }

    /// <summary>Queues the frame for the room's sockets (under the group's lock); a pump on the thread pool sends it.</summary>
    private static void Send(Group group, RoomFrame frame) => Queue(group, new Outgoing(frame.Html, Message: frame.Seq > 0));

    /// <summary>Appends to the outbox (under the group's lock) and starts the pump if it is not running.</summary>
    private static void Queue(Group group, Outgoing item)
    {
        var now = Stopwatch.GetTimestamp();
        if (item.Message)
            group.Pace.Arrived(now);
        group.Outbox.Add(item);
        if (group.Pumping)
            return;
        group.Pumping = true;
        if (!PaceLater(group, now))
            ThreadPool.UnsafeQueueUserWorkItem(static g => Pump(g), group, preferLocal: false);
    }

    /// <summary>
    /// Under the group's lock, with the outbox not empty: when its next batch is room-wide and the
    /// room is flooded and ahead of its schedule (<see cref="RoomPace"/>), sets the timer for when it
    /// is due and returns true (the pump runs then, and sends everything that arrived meanwhile as
    /// one message: one send per socket for the lot).
    /// </summary>
    private static bool PaceLater(Group group, long now)
    {
        if (group.Closed || group.Outbox[0].Only is not null)
            return false;
        var wait = group.Pace.Wait(now);
        if (wait <= 0 || FillsOneMessage(group.Outbox))
            return false; // a backlog of a full message (CoalesceBytes) goes on at once: one per interval could fall behind
        group.PaceTimer ??= NewTimer(static g => Pump((Group)g!), group);
        group.PaceTimer.Change(Math.Max(1, (long)Math.Ceiling(wait * 1000.0 / Stopwatch.Frequency)), Timeout.Infinite);
        return true;
    }

    private static bool FillsOneMessage(List<Outgoing> outbox)
    {
        var bytes = 0;
        foreach (var item in outbox)
        {
            bytes += item.Html.Length;
            if (bytes >= RoomConnection.CoalesceBytes)
                return true;
        }
        return false;
    }

    /// <summary>
    /// A timer for the group, created without the caller's execution context: the first caller is
    /// usually a socket's request, which the timer would otherwise keep (and run every callback in).
    /// </summary>
    private static Timer NewTimer(TimerCallback callback, Group group)
    {
        if (ExecutionContext.IsFlowSuppressed())
            return new Timer(callback, group, Timeout.Infinite, Timeout.Infinite);
        using (ExecutionContext.SuppressFlow())
            return new Timer(callback, group, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// Sends a frame to one socket after every room frame already released to the room (an
    /// acknowledgement never overtakes the message it acknowledges, which the writer released first).
    /// </summary>
    public void SendAfterReleased(RoomConnection connection, ReadOnlyMemory<byte> frame)
    {
        if (_rooms.TryGetValue(connection.RoomId, out var group))
        {
            lock (group)
            {
                if (group.Pumping)
                {
                    Queue(group, new Outgoing(frame, connection));
                    return;
                }
            }
        }
        connection.TryEnqueue(frame); // nothing released is still on its way
    }

    /// <summary>
    /// Hands what the outbox holds to the room's sockets, until it is empty. When several frames
    /// waited (a busy room, a busy machine) they are joined ONCE into one buffer that every socket
    /// sends as one WebSocket message: one send per socket for the lot, so the cost per delivery
    /// falls as the load rises (htmx swaps every top-level element of a message, in order).
    /// </summary>
    private static void Pump(Group group)
    {
        List<Outgoing>? after = null;
        while (true)
        {
            Outgoing next;
            lock (group)
            {
                if (group.Outbox.Count == 0)
                {
                    group.Pumping = false;
                    return;
                }
                var now = Stopwatch.GetTimestamp();
                if (PaceLater(group, now))
                    return;
                next = TakeBatch(group.Outbox, ref after);
                if (next.Only is null)
                    group.Pace.Sent(now);
            }
            if (next.Only is { } one)
            {
                one.TryEnqueue(next.Html);
                continue;
            }
            foreach (var connection in Volatile.Read(ref group.Connections))
                connection.TryEnqueue(next.Html);
            if (after is { Count: > 0 })
            {
                foreach (var single in after)
                    single.Only!.TryEnqueue(single.Html);
                after.Clear();
            }
        }
    }

    /// <summary>
    /// Removes the next batch from the outbox: a frame for one socket alone, or the room-wide frames
    /// in front joined into one buffer (up to <see cref="RoomConnection.CoalesceBytes"/>). Frames for
    /// one socket among them (acknowledgements, errors, a replay) are moved to
    /// <paramref name="after"/>, sent right after the joined frame: an acknowledgement then still
    /// follows its message, and a later message simply comes first. Joining stops before room state
    /// (presence) that such a frame would otherwise follow.
    /// </summary>
    internal static Outgoing TakeBatch(List<Outgoing> outbox, ref List<Outgoing>? after)
    {
        var first = outbox[0];
        if (first.Only is not null)
        {
            outbox.RemoveAt(0);
            return first;
        }
        var taken = 1;
        var joined = 1;
        var bytes = first.Html.Length;
        var singles = 0;
        for (; taken < outbox.Count; taken++)
        {
            var item = outbox[taken];
            if (item.Only is not null)
            {
                singles++;
                continue;
            }
            if ((singles > 0 && !item.Message) || bytes + item.Html.Length > RoomConnection.CoalesceBytes)
                break;
            bytes += item.Html.Length;
            joined++;
        }
        if (joined == 1)
        {
            outbox.RemoveAt(0); // nothing to join: the frames for one socket stay where they are
            return first;
        }
        // Frames for one socket at the end of the taken range would gain nothing by moving: leave them.
        while (outbox[taken - 1].Only is not null)
            taken--;
        var buffer = new byte[bytes];
        var at = 0;
        for (var i = 0; i < taken; i++)
        {
            var item = outbox[i];
            if (item.Only is not null)
            {
                (after ??= []).Add(item);
                continue;
            }
            item.Html.Span.CopyTo(buffer.AsSpan(at));
            at += item.Html.Length;
        }
        outbox.RemoveRange(0, taken);
        return new Outgoing(buffer, Message: true);
    }

    public IReadOnlyList<RoomConnection> InRoom(long roomId) =>
        _rooms.TryGetValue(roomId, out var group) ? Volatile.Read(ref group.Connections) : [];

    /// <summary>Closes every socket of one user (sign-out, removal); returns how many.</summary>
    public int CloseUser(string userId, WebSocketCloseStatus status, string reason, long? roomId = null)
    {
        var closed = 0;
        foreach (var group in _rooms)
        {
            if (roomId is long only && group.Key != only)
                continue;
            foreach (var c in Volatile.Read(ref group.Value.Connections))
            {
                if (c.UserId == userId)
                {
                    c.RequestClose(status, reason);
                    closed++;
                }
            }
        }
        return closed;
    }

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var group in _rooms.Values)
            foreach (var c in Volatile.Read(ref group.Connections))
                c.RequestClose(status, reason);
    }
}

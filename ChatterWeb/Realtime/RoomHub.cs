using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace ChatterWeb.Realtime;

/// <summary>
/// This instance's open sockets by room. Listens to a room on the bus while it has at least one
/// socket there; delivering a frame is a lock-free walk over an immutable array of connections.
/// </summary>
public sealed class RoomHub(IRoomBus bus)
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, Group> _rooms = new();

    private sealed class Group
    {
        public RoomConnection[] Connections = [];
        public IDisposable? Lease;
    }

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
                group = new Group();
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
            }
        }
    }

    /// <summary>Hands the frame to every local socket in its room. Never waits for a client.</summary>
    public void Deliver(RoomFrame frame)
    {
        if (!_rooms.TryGetValue(frame.RoomId, out var group))
            return;
        foreach (var connection in Volatile.Read(ref group.Connections))
            connection.TryEnqueue(frame.Html);
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

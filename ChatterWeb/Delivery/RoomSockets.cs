using System.Collections.Concurrent;

namespace ChatterWeb.Delivery;

/// <summary>
/// This instance's room sockets by room. A room is listened to on the <see cref="IRoomBus"/> while
/// it has at least one socket here; every frame for it, published here or on another instance or
/// read back from the database, goes through that room's <see cref="RoomChannel"/>: its sequencer,
/// then its outbox. Delivering never waits for a client.
/// </summary>
public sealed partial class RoomSockets(IRoomBus bus, IRoomBacklog backlog, ILogger<RoomSockets> logger)
{
    private static readonly TimeSpan ListeningWait = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, RoomChannel> _rooms = new();

    /// <summary>
    /// Adds the socket to its room; the task completes once frames published from now on reach it (at
    /// once in process; with Redis once subscribed and the room's order is set from the stored
    /// LastSeq, within <see cref="ListeningWait"/> at most: Redis may be down). The page's resume runs
    /// after this, so nothing committed meanwhile slips past both the resume and the live stream.
    /// </summary>
    public Task Add(SocketConnection connection)
    {
        var roomId = connection.RoomId ?? throw new ArgumentException("A room socket has a room.", nameof(connection));
        RoomChannel channel;
        lock (_gate)
        {
            if (!_rooms.TryGetValue(roomId, out channel!))
            {
                channel = new RoomChannel(roomId);
                _rooms[roomId] = channel;
                var lease = bus.Listen(roomId, channel.Receive);
                channel.Lease = lease;
                if (lease is IListenLease pending)
                    channel.Ready = StartAfterStoredAsync(channel, pending.Listening);
            }
            channel.Add(connection);
        }
        return channel.Ready.IsCompleted ? Task.CompletedTask : WaitReadyAsync(channel.Ready);
    }

    /// <summary>
    /// A bus whose subscription completes later (Redis) may miss what was published before it did:
    /// the room's order starts after the LastSeq stored once it listens (what came before is the
    /// sockets' resume; anything missed later is healed).
    /// </summary>
    private async Task StartAfterStoredAsync(RoomChannel channel, Task listening)
    {
        await Task.Yield(); // not under the registry's lock
        try
        {
            await listening;
            var stored = await backlog.LastSeqsAsync([channel.RoomId], CancellationToken.None);
            if (stored.TryGetValue(channel.RoomId, out var last))
                channel.StartAfter(last);
        }
        catch (OperationCanceledException)
        {
            // the lease ended before it listened
        }
        catch (Exception e)
        {
            LogStartFailed(e, channel.RoomId); // the first frame sets the order instead
        }
    }

    private static async Task WaitReadyAsync(Task ready)
    {
        try
        {
            await ready.WaitAsync(ListeningWait);
        }
        catch (TimeoutException)
        {
            // Redis is down: the socket is served locally; the gap is healed when Redis is back.
        }
    }

    public void Remove(SocketConnection connection)
    {
        if (connection.RoomId is not long roomId)
            return;
        lock (_gate)
        {
            if (!_rooms.TryGetValue(roomId, out var channel) || channel.Remove(connection) > 0)
                return;
            _rooms.TryRemove(roomId, out _);
            channel.Close();
        }
    }

    /// <summary>Rooms with at least one socket on this instance.</summary>
    public IReadOnlyCollection<long> Rooms => [.. _rooms.Keys];

    public IReadOnlyList<SocketConnection> InRoom(long roomId) =>
        _rooms.TryGetValue(roomId, out var channel) ? channel.Connections : [];

    /// <summary>A frame for this instance's sockets in its room only (the bus already carried it, or it is for here alone).</summary>
    public void Deliver(RoomFrame frame)
    {
        if (_rooms.TryGetValue(frame.RoomId, out var channel))
            channel.Receive(frame);
    }

    /// <summary>To one socket, after whatever its room has already released (an ack follows its message).</summary>
    public void SendAfterReleased(SocketConnection connection, ReadOnlyMemory<byte> frame)
    {
        if (connection.RoomId is long roomId && _rooms.TryGetValue(roomId, out var channel))
            channel.SendAfterReleased(connection, frame);
        else
            connection.TryEnqueue(frame);
    }

    /// <summary>Each local room with the highest seq up to which its sockets were shown every message (null: none seen yet).</summary>
    public IReadOnlyList<(long RoomId, long? Watermark)> Watermarks() =>
        [.. _rooms.Values.Select(c => (c.RoomId, c.Watermark))];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the stored seq of room {RoomId}; its order starts with the first frame")]
    private partial void LogStartFailed(Exception e, long roomId);
}

using System.Collections.Concurrent;

namespace ChatterWeb.Realtime;

/// <summary>
/// A finished HTML frame for every socket in a room. <see cref="Seq"/> is the message's seq, or 0
/// for frames that are not messages (presence). The bytes are shared by every socket: never mutate them.
/// </summary>
public readonly record struct RoomFrame(long RoomId, long Seq, ReadOnlyMemory<byte> Html);

/// <summary>
/// Carries finished frames to every instance that has sockets in the room: in-process for one
/// instance, Redis pub/sub across instances. The hub code does not know which.
/// </summary>
public interface IRoomBus
{
    /// <summary>Sends the frame towards every listener of its room, on every instance. Never awaits a client.</summary>
    ValueTask PublishAsync(RoomFrame frame, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers the room's frames to <paramref name="deliver"/>, in publish order, until the lease is
    /// disposed. The hub listens while this instance has at least one socket in the room.
    /// </summary>
    IDisposable Listen(long roomId, Action<RoomFrame> deliver);
}

/// <summary>
/// A lease whose subscription completes asynchronously (Redis). The hub waits for
/// <see cref="Listening"/> before a socket resumes, so nothing committed after the resume query
/// can slip past both the resume and the live stream.
/// </summary>
public interface IListenLease : IDisposable
{
    Task Listening { get; }
}

/// <summary>One instance: publishing is calling the room's listener.</summary>
public sealed class InProcessRoomBus : IRoomBus
{
    private readonly ConcurrentDictionary<long, Action<RoomFrame>> _listeners = new();

    public ValueTask PublishAsync(RoomFrame frame, CancellationToken cancellationToken = default)
    {
        if (_listeners.TryGetValue(frame.RoomId, out var deliver))
            deliver(frame);
        return ValueTask.CompletedTask;
    }

    public IDisposable Listen(long roomId, Action<RoomFrame> deliver)
    {
        if (!_listeners.TryAdd(roomId, deliver))
            throw new InvalidOperationException($"Room {roomId} already has a listener on this instance.");
        return new Lease(this, roomId, deliver);
    }

    private sealed class Lease(InProcessRoomBus bus, long roomId, Action<RoomFrame> deliver) : IDisposable
    {
        public void Dispose() => bus._listeners.TryRemove(new KeyValuePair<long, Action<RoomFrame>>(roomId, deliver));
    }
}

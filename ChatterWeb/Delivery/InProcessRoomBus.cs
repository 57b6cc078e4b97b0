using System.Collections.Concurrent;

namespace ChatterWeb.Delivery;

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
        return new Lease(() => _listeners.TryRemove(new KeyValuePair<long, Action<RoomFrame>>(roomId, deliver)));
    }
}

namespace ChatterWeb.Delivery;

/// <summary>
/// Carries finished frames to every instance that has sockets in the room: in-process for one
/// instance (<see cref="InProcessRoomBus"/>), Redis pub/sub across instances. Transport only: the
/// room's order is kept by the receiving instance's sequencer.
/// </summary>
public interface IRoomBus
{
    /// <summary>Sends the frame towards every listener of its room, on every instance. Never awaits a client.</summary>
    ValueTask PublishAsync(RoomFrame frame, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers the room's frames to <paramref name="deliver"/>, in publish order, until the lease is
    /// disposed. <see cref="RoomSockets"/> listens while this instance has at least one socket in the room.
    /// </summary>
    IDisposable Listen(long roomId, Action<RoomFrame> deliver);
}

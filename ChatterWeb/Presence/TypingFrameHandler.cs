using ChatterWeb.Delivery;

namespace ChatterWeb.Presence;

/// <summary>
/// <c>{"type":"typing"}</c>: passed on to the room as a <see cref="Typing.Signal"/> (seq 0, never
/// stored), at most one per <see cref="Typing.MinInterval"/> per socket; more often than the page
/// ever sends is dropped, not an error.
/// </summary>
public sealed class TypingFrameHandler(IRoomBus bus, TimeProvider time) : ISocketFrameHandler
{
    public string Type => "typing";

    /// <summary>When this socket's last signal was passed on.</summary>
    private sealed class LastSignal
    {
        public long At = -1;
    }

    public async ValueTask HandleAsync(SocketSession session, ClientFrame frame, CancellationToken stopping)
    {
        if (session.RoomId is not long roomId)
            return;
        var last = session.Feature<LastSignal>();
        var now = time.GetTimestamp();
        if (last.At >= 0 && time.GetElapsedTime(last.At, now) < Typing.MinInterval)
            return;
        last.At = now;
        await bus.PublishAsync(new RoomFrame(roomId, 0, Typing.Signal(session.UserId, session.DisplayName)));
    }
}

namespace ChatterWeb.Delivery;

/// <summary>
/// Handles one <see cref="ClientFrame.Type"/> of frame from a room socket ("message", "resume",
/// "typing", "read", ...). A feature registers its own with
/// <see cref="DeliveryExtensions.AddSocketFrameHandler{THandler}"/>; the socket session dispatches
/// by type and knows none of them. Singletons: per-socket state goes in <see cref="SocketSession.Feature{T}"/>.
/// Frames of one socket are handled one at a time, in order.
/// </summary>
public interface ISocketFrameHandler
{
    string Type { get; }

    ValueTask HandleAsync(SocketSession session, ClientFrame frame, CancellationToken stopping);
}

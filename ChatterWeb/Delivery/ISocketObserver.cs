namespace ChatterWeb.Delivery;

/// <summary>
/// Hears when a socket has joined its room and its user's stream (before its first frame is read)
/// and when it has left them. Registered with <see cref="DeliveryExtensions.AddSocketObserver{TObserver}"/>.
/// </summary>
public interface ISocketObserver
{
    ValueTask OpenedAsync(SocketSession session);

    ValueTask ClosedAsync(SocketSession session);
}

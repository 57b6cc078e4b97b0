namespace ChatterWeb.Delivery;

/// <summary>Closes a user's sockets on every instance (sign-out, removal from a room).</summary>
public interface ISocketControl
{
    ValueTask CloseUserAsync(string userId, string reason, long? roomId = null);
}

namespace ChatterWeb.Delivery;

/// <summary>
/// The per-user stream: frames for one person (unread counts, read state, notifications) travel
/// here, never on a room's channel, so nobody hears of a room they are not a member of. In-process
/// for one instance; Redis (<c>chatter:user:v2:{id}</c>) across instances.
/// </summary>
public interface IUserBus
{
    ValueTask PublishAsync(UserFrame frame);

    /// <summary>Delivers the user's frames until the lease is disposed; one listener per user per instance.</summary>
    IDisposable Listen(string userId, Action<UserFrame> deliver);
}

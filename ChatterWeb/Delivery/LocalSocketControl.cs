namespace ChatterWeb.Delivery;

/// <summary>One instance: this instance's sockets are everyone's.</summary>
public sealed class LocalSocketControl(UserSockets sockets) : ISocketControl
{
    public ValueTask CloseUserAsync(string userId, string reason, long? roomId = null)
    {
        sockets.CloseUser(userId, CloseCodes.Policy, reason, roomId);
        return ValueTask.CompletedTask;
    }
}

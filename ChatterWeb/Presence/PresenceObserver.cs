using ChatterWeb.Delivery;

namespace ChatterWeb.Presence;

/// <summary>
/// A room socket's arrival and departure: everyone in the room hears of a new arrival (the list is
/// published by <see cref="PresenceBroadcaster"/>); a second tab of someone already here just gets
/// the list for itself.
/// </summary>
public sealed class PresenceObserver(IPresence presence, PresenceBroadcaster broadcaster) : ISocketObserver
{
    public async ValueTask OpenedAsync(SocketSession session)
    {
        if (session.RoomId is not long roomId)
            return;
        if (await presence.JoinAsync(roomId, session.UserId, session.DisplayName))
            broadcaster.Changed(roomId);
        else
            session.SendToSelf(PresenceMarkup.RenderFragment(await presence.InRoomAsync(roomId)));
    }

    public async ValueTask ClosedAsync(SocketSession session)
    {
        if (session.RoomId is long roomId && await presence.LeaveAsync(roomId, session.UserId))
            broadcaster.Changed(roomId);
    }
}

using ChatterWeb.Delivery;

namespace ChatterWeb.Presence;

/// <summary>
/// A room socket's arrival and departure: the socket gets the whole list for itself, and the room
/// hears of a person's arrival or departure (their first or last socket here) through
/// <see cref="PresenceBroadcaster"/>.
/// </summary>
public sealed class PresenceObserver(IPresence presence, PresenceBroadcaster broadcaster) : ISocketObserver
{
    public async ValueTask OpenedAsync(SocketSession session)
    {
        if (session.RoomId is not long roomId)
            return;
        if (await presence.JoinAsync(roomId, session.UserId, session.DisplayName))
            broadcaster.Changed(roomId, session.UserId);
        session.SendToSelf(PresenceMarkup.RenderFragment(await presence.InRoomAsync(roomId)));
    }

    public async ValueTask ClosedAsync(SocketSession session)
    {
        if (session.RoomId is long roomId && await presence.LeaveAsync(roomId, session.UserId))
            broadcaster.Changed(roomId, session.UserId);
    }
}

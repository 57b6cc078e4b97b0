using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

/// <summary>
/// The sidebar: every room the user can see, which one is open, the unread count of each room
/// they belong to, and their direct messages under the other people's names.
/// </summary>
public sealed record RoomsNav(
    IReadOnlyList<RoomInfo> Rooms,
    string? CurrentSlug,
    IReadOnlyDictionary<long, UnreadCount>? Unread = null,
    IReadOnlyList<DirectRoom>? Directs = null)
{
    public IEnumerable<RoomInfo> Channels => Rooms.Where(r => r.Kind != Data.RoomKind.Direct);

    public UnreadMarkup? Badge(long roomId) =>
        Unread is not null && Unread.TryGetValue(roomId, out var u) ? new UnreadMarkup(roomId, u) : null;
}

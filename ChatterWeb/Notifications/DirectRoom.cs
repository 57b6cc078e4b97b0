using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

/// <summary>A direct-message room, named for the viewer by the other people in it.</summary>
public sealed record DirectRoom(RoomInfo Room, string Names);

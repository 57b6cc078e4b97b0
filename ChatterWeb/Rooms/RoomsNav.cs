namespace ChatterWeb.Rooms;

/// <summary>The sidebar: every room the user can see, and which one is open.</summary>
public sealed record RoomsNav(IReadOnlyList<RoomInfo> Rooms, string? CurrentSlug);

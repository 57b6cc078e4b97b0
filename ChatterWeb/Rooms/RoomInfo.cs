using ChatterWeb.Data;

namespace ChatterWeb.Rooms;

/// <summary>A room as pages and handlers need it: no tracking, no counters.</summary>
public sealed record RoomInfo(long Id, string Slug, string Name, RoomKind Kind);

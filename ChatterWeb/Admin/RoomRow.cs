using ChatterWeb.Data;

namespace ChatterWeb.Admin;

/// <summary>One room as <c>/admin/rooms</c> lists it.</summary>
public sealed record RoomRow(long Id, string Slug, string Name, RoomKind Kind, long Messages, int Members, DateTimeOffset? ArchivedAt);

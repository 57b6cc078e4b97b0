namespace ChatterWeb.Rooms;

/// <summary>A person one may start a conversation with.</summary>
public sealed record Person(string UserId, string DisplayName);

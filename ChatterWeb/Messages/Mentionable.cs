namespace ChatterWeb.Messages;

/// <summary>A member of a room as mentions need them.</summary>
public sealed record Mentionable(string UserId, string DisplayName);

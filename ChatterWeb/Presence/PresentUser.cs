namespace ChatterWeb.Presence;

/// <summary>A person with the room open somewhere (two tabs count once).</summary>
public sealed record PresentUser(string UserId, string DisplayName);

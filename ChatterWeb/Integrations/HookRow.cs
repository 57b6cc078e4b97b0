namespace ChatterWeb.Integrations;

/// <summary>A webhook as the room's integrations page lists it (never its token).</summary>
public sealed record HookRow(long Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

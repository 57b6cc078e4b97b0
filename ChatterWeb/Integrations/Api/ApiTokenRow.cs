namespace ChatterWeb.Integrations.Api;

/// <summary>A token as its owner's list shows it (never the token).</summary>
public sealed record ApiTokenRow(long Id, string Name, string Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt);

namespace ChatterWeb.Bots;

/// <summary>A bot's API token as its page lists it (never the token).</summary>
public sealed record BotTokenRow(long Id, string Name, string Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

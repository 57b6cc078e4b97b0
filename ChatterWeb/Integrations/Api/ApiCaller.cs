namespace ChatterWeb.Integrations.Api;

/// <summary>Who a valid token speaks for, and what it may do.</summary>
public sealed record ApiCaller(long TokenId, string UserId, string DisplayName, bool IsBot, string Scopes, DateTimeOffset? LastUsedAt, string? Avatar = null);

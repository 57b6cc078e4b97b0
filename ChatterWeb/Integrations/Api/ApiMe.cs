namespace ChatterWeb.Integrations.Api;

/// <summary><c>GET /api/v1/me</c>: the account the token speaks for.</summary>
public sealed record ApiMe(string Id, string DisplayName, bool Bot, IReadOnlyList<string> Scopes);

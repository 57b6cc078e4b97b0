namespace ChatterWeb.Integrations.Api;

/// <summary>Messages in seq order; <paramref name="HasOlder"/>/<paramref name="HasNewer"/>: ask again with <c>before</c> the first or <c>after</c> the last seq.</summary>
public sealed record ApiMessagePage(IReadOnlyList<ApiMessage> Messages, bool HasOlder, bool HasNewer);

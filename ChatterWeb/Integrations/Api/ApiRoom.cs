namespace ChatterWeb.Integrations.Api;

/// <summary>A room the caller may read. <paramref name="Kind"/>: <c>open</c>, <c>closed</c> or <c>direct</c>.</summary>
public sealed record ApiRoom(string Slug, string Name, string Kind);

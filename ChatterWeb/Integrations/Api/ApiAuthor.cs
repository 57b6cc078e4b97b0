namespace ChatterWeb.Integrations.Api;

/// <summary>Who wrote a message.</summary>
public sealed record ApiAuthor(string Id, string Name, bool Bot);

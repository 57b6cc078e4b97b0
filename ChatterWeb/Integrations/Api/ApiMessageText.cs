namespace ChatterWeb.Integrations.Api;

/// <summary>The body of a post or an edit: <c>{"text": "…"}</c> (Markdown, as typed in the composer; at most 4000 characters).</summary>
public sealed record ApiMessageText(string? Text);

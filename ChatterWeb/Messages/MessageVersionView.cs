namespace ChatterWeb.Messages;

/// <summary>One earlier text of a message: what it said from <paramref name="WrittenAt"/> until the edit at <paramref name="ReplacedAt"/>.</summary>
public sealed record MessageVersionView(string Body, DateTimeOffset WrittenAt, DateTimeOffset ReplacedAt);

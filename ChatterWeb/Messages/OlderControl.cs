
namespace ChatterWeb.Messages;

/// <summary>The "load older" control at the top of a page of messages, or the start-of-room marker.</summary>
public sealed record OlderControl(string Slug, MessageHistory.Page Page);

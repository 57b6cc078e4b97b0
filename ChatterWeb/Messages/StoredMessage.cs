namespace ChatterWeb.Messages;

/// <summary>Committed (now, or earlier when <paramref name="Duplicate"/>: a resend of the same ClientMessageId).</summary>
public readonly record struct StoredMessage(MessageView Message, bool Duplicate);

namespace ChatterWeb.Attachments;

/// <summary>A key in the attachment store and when its bytes were written.</summary>
public sealed record StoredKey(string Key, DateTimeOffset WrittenAt);

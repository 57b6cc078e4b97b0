using ChatterWeb.Attachments;

namespace ChatterWeb.Messages;

/// <summary>Everything the message markup needs, and nothing about who is looking at it.</summary>
public sealed record MessageView(
    long Seq,
    string AuthorId,
    string AuthorName,
    string Body,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt = null,
    DateTimeOffset? DeletedAt = null,
    string? Mentions = null,
    AttachmentView? Attachment = null);

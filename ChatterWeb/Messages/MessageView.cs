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
    AttachmentView? Attachment = null)
{
    /// <summary>The room's change counter when this message was last edited or deleted (0: never).</summary>
    public long ChangeSeq { get; init; }

    /// <summary>It continues a run of messages by the same author (<see cref="Data.Message.ContinuesPrevious"/>).</summary>
    public bool Continues { get; init; }

    /// <summary>Deleted by an administrator rather than its author (<see cref="Data.Message.DeletedByAdministrator"/>).</summary>
    public bool RemovedByAdministrator { get; init; }

    /// <summary>The room's slug, for the message's own links (permalink, edit, delete); empty: no links.</summary>
    public string RoomSlug { get; init; } = "";

    /// <summary>The author is a bot account (<see cref="Data.ChatUser.IsBot"/>): the name carries a "bot" badge.</summary>
    public bool AuthorIsBot { get; init; }

    /// <summary>The author's chosen avatar (<see cref="Data.ChatUser.Avatar"/>, a bot's emoji); null: initials.</summary>
    public string? AuthorAvatar { get; init; }

    /// <summary>A reply: the seq of its thread's first message.</summary>
    public long? ParentSeq { get; init; }

    /// <summary>A reply also sent to the room.</summary>
    public bool AlsoInRoom { get; init; }

    /// <summary>
    /// On a reply just stored: the people in its thread (<see cref="Data.Message.ThreadPeople"/>), for
    /// whom alone it is unread and notified. Set by the writer only; pages never need it.
    /// </summary>
    public string? ThreadPeople { get; init; }

    /// <summary>On a thread's first message: its replies (<see cref="Data.ThreadSummary"/>); null: none.</summary>
    public string? ThreadSummary { get; init; }

    /// <summary>An <c>@here</c> or <c>@room</c> in it (<see cref="Data.Message.RoomMention"/>).</summary>
    public Data.RoomMention RoomMention { get; init; }

    /// <summary>The stored reactions (<see cref="Data.MessageReactions"/>); null: none.</summary>
    public string? Reactions { get; init; }

    /// <summary>When it was pinned to its room (<see cref="Data.Message.PinnedAt"/>); null: not pinned.</summary>
    public DateTimeOffset? PinnedAt { get; init; }

    /// <summary>
    /// On a change that pinned or unpinned it (or deleted it pinned): the room's pin count, read after
    /// the change was committed, so the change frame updates the room header's count (<see cref="PinCountMarkup"/>).
    /// Null on every other read.
    /// </summary>
    public int? RoomPinCount { get; init; }
}

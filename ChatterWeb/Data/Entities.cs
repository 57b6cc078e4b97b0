using ChatterWeb.Attachments;
using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Data;

/// <summary>An account: the Identity user plus the name other people see.</summary>
public sealed class ChatUser : IdentityUser
{
    public const int DisplayNameMaxLength = 64;

    public string DisplayName { get; set; } = "";
}

public enum RoomKind
{
    Open = 0,
    Closed = 1,
    Direct = 2,
}

public sealed class Room
{
    public const int SlugMaxLength = 64;
    public const int NameMaxLength = 80;

    public long Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public RoomKind Kind { get; set; }

    /// <summary>The room's message counter: the Seq of its newest message.</summary>
    public long LastSeq { get; set; }

    /// <summary>The room's change counter: bumped by every edit or delete (resume replays changes after a client's last one).</summary>
    public long LastChangeSeq { get; set; }

    public string? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Membership
{
    public long RoomId { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public long LastReadSeq { get; set; }

    /// <summary>When this member's browser notifies them of the room's messages (see docs/PEOPLE.md).</summary>
    public NotifyLevel Notify { get; set; }
}

/// <summary>Per-room notification setting; Default is "mentions" in rooms and "everything" in direct messages.</summary>
public enum NotifyLevel
{
    Default = 0,
    Everything = 1,
    Mentions = 2,
    Nothing = 3,
}

public sealed class Message
{
    public const int BodyMaxLength = 4000;
    public const int ClientMessageIdMaxLength = 64;

    public long Id { get; set; }
    public long RoomId { get; set; }
    public long Seq { get; set; }
    public required string AuthorId { get; set; }
    public required string Body { get; set; }
    public required string ClientMessageId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>The room's <see cref="Room.LastChangeSeq"/> at this message's last edit or delete; 0 if never changed.</summary>
    public long ChangeSeq { get; set; }

    /// <summary>The ids of the room members this message mentions, space-separated (null: none).</summary>
    public string? Mentions { get; set; }

    public const int MentionsMaxLength = 1000;

    public ChatUser? Author { get; set; }

    /// <summary>The file posted with this message, if any.</summary>
    public Attachment? Attachment { get; set; }
}

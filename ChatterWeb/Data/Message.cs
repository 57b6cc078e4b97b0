namespace ChatterWeb.Data;

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

    /// <summary>Deleted by an administrator (moderation) rather than by its author: shown as removed by an administrator.</summary>
    public bool DeletedByAdministrator { get; set; }

    /// <summary>The room's <see cref="Room.LastChangeSeq"/> at this message's last edit or delete; 0 if never changed.</summary>
    public long ChangeSeq { get; set; }

    /// <summary>
    /// It follows the room's previous message by the same author within <see cref="GroupWithin"/> (not
    /// deleted when it was written): shown under that message, without name and avatar. Decided
    /// once, when it is stored; it never changes.
    /// </summary>
    public bool ContinuesPrevious { get; set; }

    /// <summary>How close a message by the same author must follow to be shown as part of the same run.</summary>
    public static readonly TimeSpan GroupWithin = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The ids of the room members this message mentions, space-separated (null: none): those named,
    /// and for an <c>@here</c> the people it reached (so it is not bounded by a length: an <c>@here</c>
    /// reaches at most the administrator's room-wide limit of people).
    /// </summary>
    public string? Mentions { get; set; }

    /// <summary>An <c>@here</c> or <c>@room</c> in it (<see cref="Data.RoomMention"/>); None for most.</summary>
    public RoomMention RoomMention { get; set; }

    /// <summary>
    /// Who reacted with what (<see cref="MessageReactions"/>, a compact JSON text; null: no reactions).
    /// Written only inside a change's transaction, after the room row is locked, so toggles never race.
    /// </summary>
    public string? Reactions { get; set; }

    /// <summary>
    /// A reply in a thread: the seq of the thread's first message, in the same room (one level: a reply
    /// to a reply joins the same thread). Null for a message of the room itself.
    /// </summary>
    public long? ParentSeq { get; set; }

    /// <summary>A reply that was also sent to the room: shown in the room's list as well as in its thread.</summary>
    public bool AlsoInRoom { get; set; }

    /// <summary>
    /// On a reply: the people in its thread when it was written (the first message's author, those who
    /// had replied, those the thread mentioned and those it mentions), ids space-separated. Unread and mentions count a reply that is
    /// not in the room only for them (<see cref="UnreadRule"/>).
    /// </summary>
    public string? ThreadPeople { get; set; }

    /// <summary>On a thread's first message: how many replies and who replied last (<see cref="ThreadSummary"/>); null: none.</summary>
    public string? ThreadSummary { get; set; }

    /// <summary>
    /// When the message was pinned to its room (null: not pinned). Set and cleared only inside a change's
    /// transaction, with the room's next change number, like every other change of the message; a
    /// deleted message is never pinned.
    /// </summary>
    public DateTimeOffset? PinnedAt { get; set; }

    /// <summary>The id of who pinned it (null when not pinned). No foreign key: the pin outlives nothing but the message.</summary>
    public string? PinnedById { get; set; }

    public ChatUser? Author { get; set; }

    /// <summary>The file posted with this message, if any.</summary>
    public Attachment? Attachment { get; set; }
}

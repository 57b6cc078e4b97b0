using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>
/// Post a message to a room: one handler behind both the socket and the plain form POST.
/// Validate, check the right to post, then hand it to the <see cref="MessageWriter"/> (stored with
/// the room's next Seq, idempotent on ClientMessageId, announced to every <see cref="IMessageListener"/>).
/// <paramref name="AuthorIsBot"/>: the author is a bot account (a webhook, a bot), shown with a badge.
/// </summary>
public sealed record PostMessage(RoomInfo Room, string AuthorId, string AuthorName, string? Body, string? ClientMessageId, UploadedFile? File = null, bool AuthorIsBot = false)
{
    /// <summary>A reply to the message with this seq (in the same room); null: a message of the room.</summary>
    public long? ParentSeq { get; init; }

    /// <summary>A reply that is also sent to the room.</summary>
    public bool AlsoToRoom { get; init; }

    /// <summary>The author's chosen avatar (<see cref="ChatUser.Avatar"/>, a bot's emoji); null: initials.</summary>
    public string? AuthorAvatar { get; init; }

    /// <summary>
    /// The composer's send (socket or form) without the sender's confirmation: an <c>@here</c> or
    /// <c>@room</c> that would notify more than <see cref="RoomWideOptions.ConfirmAbove"/> people is
    /// not stored but answered <see cref="PostMessageResult.NeedsConfirmation"/>. Other ways in (API,
    /// webhooks, bots, uploads) are not asked.
    /// </summary>
    public bool AskBeforeRoomWide { get; init; }

    public static readonly string NoParentError = "The message you are replying to is not there any more.";

    public static readonly string EmptyError = "Type a message first.";
    public static readonly string TooLongError = $"That message is too long: the limit is {Message.BodyMaxLength:N0} characters.";
    public static readonly string BadIdError = "The message could not be sent (bad client message id). Reload the page.";
    public static readonly string NotAllowedError = "You can no longer post in this room.";
    public static readonly string ArchivedError = "This room is archived: its messages can be read, but nothing can be posted, edited or deleted in it.";

    /// <summary>The body as it will be stored (line endings normalised), or the error to show the sender.</summary>
    public static (string? Body, string? Error) Validate(string? body)
    {
        var normalized = (body ?? "").Replace("\r\n", "\n").Replace('\r', '\n');
        if (string.IsNullOrWhiteSpace(normalized))
            return (null, EmptyError);
        normalized = normalized.TrimEnd();
        if (normalized.Length > Message.BodyMaxLength)
            return (null, TooLongError);
        return (normalized, null);
    }

    /// <summary>With a file attached the text is a caption, and may be empty.</summary>
    public static (string? Body, string? Error) ValidateCaption(string? body) =>
        string.IsNullOrWhiteSpace(body) ? ("", null) : Validate(body);

    public static bool IsValidClientMessageId(string id) =>
        id.Length is > 0 and <= Message.ClientMessageIdMaxLength
        && id.All(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_');
}

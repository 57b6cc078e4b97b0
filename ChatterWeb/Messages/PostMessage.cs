using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Rooms;
using ChatterWeb.Metrics;

namespace ChatterWeb.Messages;

/// <summary>
/// Post a message to a room: one handler behind both the socket and the plain form POST.
/// Validate, check the right to post, then hand it to the <see cref="MessageWriter"/> (stored with
/// the room's next Seq, idempotent on ClientMessageId, rendered once and published).
/// </summary>
public sealed record PostMessage(RoomInfo Room, string AuthorId, string AuthorName, string? Body, string? ClientMessageId, UploadedFile? File = null)
{
    public static readonly string EmptyError = "Type a message first.";
    public static readonly string TooLongError = $"That message is too long: the limit is {Message.BodyMaxLength:N0} characters.";
    public static readonly string BadIdError = "The message could not be sent (bad client message id). Reload the page.";
    public static readonly string NotAllowedError = "You can no longer post in this room.";

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

public abstract record PostMessageResult
{
    /// <summary>Committed (now, or earlier when <paramref name="Duplicate"/>: a resend of the same ClientMessageId).</summary>
    public sealed record Stored(MessageView Message, string ClientMessageId, bool Duplicate) : PostMessageResult;

    /// <summary>Nothing was stored; <paramref name="Error"/> is for the sender only.</summary>
    public sealed record Rejected(string Error) : PostMessageResult;
}

public sealed class PostMessageHandler(
    RoomDirectory rooms,
    MessageWriter writer,
    MentionCandidates mentionable,
    Notifications.UnreadNotifier unread,
    ChatterMetrics metrics,
    TimeProvider time)
{
    public async Task<PostMessageResult> HandleAsync(PostMessage command, CancellationToken ct = default)
    {
        var (body, error) = command.File is null ? PostMessage.Validate(command.Body) : PostMessage.ValidateCaption(command.Body);
        if (error is not null)
            return new PostMessageResult.Rejected(error);

        var clientMessageId = string.IsNullOrEmpty(command.ClientMessageId) ? Guid.NewGuid().ToString() : command.ClientMessageId;
        if (!PostMessage.IsValidClientMessageId(clientMessageId))
            return new PostMessageResult.Rejected(PostMessage.BadIdError);

        // Open rooms admit everyone signed in; closed and direct rooms are checked on every send.
        if (command.Room.Kind != RoomKind.Open && !await rooms.IsMemberAsync(command.Room.Id, command.AuthorId, ct))
            return new PostMessageResult.Rejected(PostMessage.NotAllowedError);

        var mentions = await mentionable.ParseAsync(command.Room.Id, body!, command.AuthorId, ct);
        // Stored, published to the room (in Seq order, by the writer) and only then answered.
        var started = time.GetTimestamp();
        var (message, duplicate) = await writer.StoreAsync(
            new NewMessage(command.Room.Id, command.AuthorId, command.AuthorName, body!, clientMessageId, mentions, command.File, command.Room.Slug), ct);
        metrics.PostCompleted(time.GetElapsedTime(started));
        if (!duplicate)
            unread.Posted(command.Room, message); // members' unread counts and notifications, on their own streams
        return new PostMessageResult.Stored(message, clientMessageId, duplicate);
    }
}

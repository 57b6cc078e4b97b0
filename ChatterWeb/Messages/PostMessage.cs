using ChatterWeb.Data;
using ChatterWeb.Realtime;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// Post a message to a room: one handler behind both the socket and the plain form POST.
/// Validate, store with the room's next Seq (idempotent on ClientMessageId), render the fragment
/// once and publish it.
/// </summary>
public sealed record PostMessage(RoomInfo Room, string AuthorId, string AuthorName, string? Body, string? ClientMessageId)
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

public sealed partial class PostMessageHandler(
    ChatterDbContext db,
    RoomDirectory rooms,
    IRoomBus bus,
    TimeProvider time,
    ILogger<PostMessageHandler> logger)
{
    public async Task<PostMessageResult> HandleAsync(PostMessage command, CancellationToken ct = default)
    {
        var (body, error) = PostMessage.Validate(command.Body);
        if (error is not null)
            return new PostMessageResult.Rejected(error);

        var clientMessageId = string.IsNullOrEmpty(command.ClientMessageId) ? Guid.NewGuid().ToString() : command.ClientMessageId;
        if (!PostMessage.IsValidClientMessageId(clientMessageId))
            return new PostMessageResult.Rejected(PostMessage.BadIdError);

        // Open rooms admit everyone signed in; closed and direct rooms are checked on every send.
        if (command.Room.Kind != RoomKind.Open && !await rooms.IsMemberAsync(command.Room.Id, command.AuthorId, ct))
            return new PostMessageResult.Rejected(PostMessage.NotAllowedError);

        var result = await StoreAsync(command, body!, clientMessageId, ct);
        if (!result.Duplicate)
        {
            var html = MessageMarkup.RenderFragment(result.Message);
            try
            {
                await bus.PublishAsync(new RoomFrame(command.Room.Id, result.Message.Seq, html), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Stored is stored: sockets that miss the push heal the gap from the database.
                LogPublishFailed(e, command.Room.Id, result.Message.Seq);
            }
        }
        return result;
    }

    /// <summary>
    /// Takes the room's next Seq in the same transaction as the insert (serialising writers per
    /// room, so Seq order is commit order). Transient faults are retried by the provider's execution
    /// strategy; a retry after an ambiguous commit finds the stored row by ClientMessageId.
    /// </summary>
    private Task<PostMessageResult.Stored> StoreAsync(PostMessage command, string body, string clientMessageId, CancellationToken ct) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            if (await FindExistingAsync(command.AuthorId, clientMessageId, ct) is { } existing)
                return new PostMessageResult.Stored(existing, clientMessageId, Duplicate: true);

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Rooms.Where(r => r.Id == command.Room.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, r => r.LastSeq + 1), ct);
            var seq = await db.Rooms.Where(r => r.Id == command.Room.Id).Select(r => r.LastSeq).SingleAsync(ct);

            var message = new Message
            {
                RoomId = command.Room.Id,
                Seq = seq,
                AuthorId = command.AuthorId,
                Body = body,
                ClientMessageId = clientMessageId,
                CreatedAt = time.GetUtcNow(),
            };
            db.Messages.Add(message);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same ClientMessageId committed by a concurrent send: roll back our Seq, answer with theirs.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                if (await FindExistingAsync(command.AuthorId, clientMessageId, ct) is { } raced)
                    return new PostMessageResult.Stored(raced, clientMessageId, Duplicate: true);
                throw;
            }
            return new PostMessageResult.Stored(
                new MessageView(seq, command.AuthorId, command.AuthorName, body, message.CreatedAt) { RoomSlug = command.Room.Slug }, clientMessageId, Duplicate: false);
        }, ct);

    private Task<MessageView?> FindExistingAsync(string authorId, string clientMessageId, CancellationToken ct) =>
        db.Messages.AsNoTracking()
            .Where(m => m.AuthorId == authorId && m.ClientMessageId == clientMessageId)
            .Select(m => new MessageView(m.Seq, m.AuthorId, m.Author!.DisplayName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt))
            .SingleOrDefaultAsync(ct)!;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Seq} in room {RoomId} is stored but could not be published")]
    private partial void LogPublishFailed(Exception e, long roomId, long seq);
}

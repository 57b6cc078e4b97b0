using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Realtime;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>What an edit or a delete answers.</summary>
public abstract record MessageChangeResult
{
    /// <summary>Stored and published: the message as it now is.</summary>
    public sealed record Changed(MessageView Message) : MessageChangeResult;

    /// <summary>Nothing changed (e.g. the same text saved again).</summary>
    public sealed record Unchanged : MessageChangeResult;

    public sealed record NotFound : MessageChangeResult;

    public sealed record Forbidden(string Error) : MessageChangeResult;

    public sealed record Invalid(string Error) : MessageChangeResult;
}

/// <summary>
/// The part edits and deletes share: take the room's next change number and update the message in
/// one transaction (the room-row update serialises changes per room, so change numbers are commit
/// order), then render the message once and publish it as an out-of-band replacement of
/// <c>#m-{seq}</c>. Frames carry seq 0 on the bus: they are not messages and need no reordering.
/// </summary>
public sealed partial class MessageChanges(ChatterDbContext db, IRoomBus bus, ILogger<MessageChanges> logger)
{
    /// <summary>The message's author, whether it is deleted, and who created the room; null if there is no such message.</summary>
    public Task<Target?> FindAsync(long roomId, long seq, CancellationToken ct) =>
        db.Messages.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.Seq == seq)
            .Select(m => new Target(m.Id, m.AuthorId, m.Body, m.DeletedAt != null, db.Rooms.Where(r => r.Id == roomId).Select(r => r.CreatedById).First()))
            .SingleOrDefaultAsync(ct)!;

    public sealed record Target(long Id, string AuthorId, string Body, bool Deleted, string? RoomCreatorId);

    /// <summary>
    /// Applies <paramref name="update"/> to the message (if it is not deleted meanwhile) with the room's
    /// next change number. Returns the message as stored, or null if it was deleted before we got to it.
    /// </summary>
    public async Task<MessageView?> ApplyAsync(RoomInfo room, long messageId,
        Func<IQueryable<Message>, long, CancellationToken, Task<int>> update, CancellationToken ct)
    {
        var changed = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Rooms.Where(r => r.Id == room.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LastChangeSeq, r => r.LastChangeSeq + 1), ct);
            var changeSeq = await db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastChangeSeq).SingleAsync(ct);
            var rows = await update(db.Messages.Where(m => m.Id == messageId && m.DeletedAt == null), changeSeq, ct);
            if (rows == 0)
            {
                await tx.RollbackAsync(ct);
                return false;
            }
            await tx.CommitAsync(ct);
            return true;
        }, ct);
        if (!changed)
            return null;

        var view = await db.Messages.AsNoTracking().Where(m => m.Id == messageId)
            .Select(m => new MessageView(m.Seq, m.AuthorId, m.Author!.DisplayName, m.Body, m.CreatedAt, m.EditedAt, m.DeletedAt, m.Mentions,
                m.Attachment == null || m.DeletedAt != null ? null : new AttachmentView(m.Attachment.Id, m.Attachment.FileName, m.Attachment.ContentType, m.Attachment.Length, m.Attachment.Width, m.Attachment.Height))
            { ChangeSeq = m.ChangeSeq })
            .SingleAsync(ct);
        view = view with { RoomSlug = room.Slug };
        try
        {
            await bus.PublishAsync(new RoomFrame(room.Id, 0, MessageMarkup.RenderChange(view)), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Stored is stored: pages see it on their next resume (it replays changes).
            LogPublishFailed(e, room.Id, view.Seq);
        }
        return view;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change to message {Seq} in room {RoomId} is stored but could not be published")]
    private partial void LogPublishFailed(Exception e, long roomId, long seq);
}

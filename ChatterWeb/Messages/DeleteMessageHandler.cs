using ChatterWeb.Accounts.Audit;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// Deletes a message: a tombstone (text and earlier versions wiped, unpinned), announced as a change; then its file goes, the row
/// and the stored bytes (original and thumbnail). If the process stops between the tombstone and the
/// file, <see cref="AttachmentSweeper"/> finishes the job. An administrator's removal of someone
/// else's message is moderation: marked as such on the message and written to the audit trail.
/// Nothing is deleted in an archived room.
/// </summary>
public sealed class DeleteMessageHandler(MessageChanges changes, RoomDirectory rooms, ChatterDbContext db, IAttachmentStore store, AuditTrail audit, TimeProvider time)
{
    public async Task<MessageChangeResult> HandleAsync(DeleteMessage command, CancellationToken ct = default)
    {
        var target = await changes.FindAsync(command.Room.Id, command.Seq, ct);
        if (target is null || target.Deleted)
            return new MessageChangeResult.NotFound();
        if (await rooms.IsArchivedAsync(command.Room.Id, ct))
            return new MessageChangeResult.Archived(PostMessage.ArchivedError);
        if (!DeleteMessage.May(command.Room, target, command.UserId, command.ByAdministrator))
            return new MessageChangeResult.Forbidden(DeleteMessage.NotAllowedError);

        var moderation = DeleteMessage.IsModeration(command.Room, target, command.UserId, command.ByAdministrator);
        var now = time.GetUtcNow();
        var view = await changes.ApplyAsync(command.Room, target.Id, async (messages, changeSeq, ct) =>
        {
            // The earlier texts go with the text, in the same transaction: a deleted message keeps none.
            await db.MessageVersions.Where(v => v.MessageId == target.Id).ExecuteDeleteAsync(ct);
            return await messages.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Body, "")
                .SetProperty(m => m.DeletedAt, now)
                .SetProperty(m => m.DeletedByAdministrator, moderation)
                .SetProperty(m => m.PinnedAt, (DateTimeOffset?)null)
                .SetProperty(m => m.PinnedById, (string?)null)
                .SetProperty(m => m.ChangeSeq, changeSeq), ct);
        }, ct, pinsChanged: target.Pinned);
        if (view is null)
            return new MessageChangeResult.NotFound();
        if (moderation)
            await audit.RecordAsync(AuditActions.MessageRemoved, null, target.AuthorId, view.AuthorName,
                $"#{command.Room.Name} message {command.Seq}", actorId: command.UserId);

        // The message is a tombstone now, so nothing serves its file any more: remove it for good.
        var files = await db.Attachments.AsNoTracking().Where(a => a.MessageId == target.Id)
            .Select(a => new { a.StorageKey, a.ThumbnailKey }).ToListAsync(CancellationToken.None);
        if (files.Count > 0)
        {
            await db.Attachments.Where(a => a.MessageId == target.Id).ExecuteDeleteAsync(CancellationToken.None);
            foreach (var f in files)
            {
                await store.DeleteAsync(f.StorageKey, CancellationToken.None);
                if (f.ThumbnailKey is { } thumbnail)
                    await store.DeleteAsync(thumbnail, CancellationToken.None);
            }
        }
        return new MessageChangeResult.Changed(view);
    }
}

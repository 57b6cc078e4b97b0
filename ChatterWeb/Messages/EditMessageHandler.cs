using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// Edits a message: the text it had becomes a <see cref="MessageVersion"/> in the edit's own
/// transaction (after the room row is taken, so two edits cannot both keep the same text), and the
/// message gets the new text, the edit time and the room's next change number. An edit is broadcast
/// like a new message, so it spends from the author's <see cref="MessageRate"/>. Nothing is edited
/// in an archived room.
/// </summary>
public sealed class EditMessageHandler(MessageChanges changes, RoomDirectory rooms, ChatterDbContext db, MessageRate rate, TimeProvider time)
{
    public async Task<MessageChangeResult> HandleAsync(EditMessage command, CancellationToken ct = default)
    {
        var target = await changes.FindAsync(command.Room.Id, command.Seq, ct);
        if (target is null || target.Deleted)
            return new MessageChangeResult.NotFound();
        if (await rooms.IsArchivedAsync(command.Room.Id, ct))
            return new MessageChangeResult.Archived(PostMessage.ArchivedError);
        if (!EditMessage.May(target, command.UserId))
            return new MessageChangeResult.Forbidden(EditMessage.NotYoursError);
        var (body, error) = PostMessage.Validate(command.Body);
        if (error is not null)
            return new MessageChangeResult.Invalid(error);
        if (body == target.Body)
            return new MessageChangeResult.Unchanged();
        // Each edit is broadcast like a new message, so it spends from the same rate.
        if (!rate.TryTake(command.UserId))
            return new MessageChangeResult.TooFast(MessageRate.TooFastError);

        var now = time.GetUtcNow();
        var view = await changes.ApplyAsync(command.Room, target.Id, async (messages, changeSeq, ct) =>
        {
            var mine = messages.Where(m => m.AuthorId == command.UserId);
            // Read inside the transaction: the text this edit replaces, as committed by the last change.
            var before = await mine.Select(m => new { m.Body, WrittenAt = m.EditedAt ?? m.CreatedAt }).SingleOrDefaultAsync(ct);
            if (before is null)
                return 0;
            if (before.Body != body)
            {
                db.MessageVersions.Add(new MessageVersion { MessageId = target.Id, Body = before.Body, WrittenAt = before.WrittenAt, ReplacedAt = now });
                await db.SaveChangesAsync(ct);
            }
            return await mine.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Body, body!)
                .SetProperty(m => m.EditedAt, now)
                .SetProperty(m => m.ChangeSeq, changeSeq), ct);
        }, ct);
        return view is null ? new MessageChangeResult.NotFound() : new MessageChangeResult.Changed(view);
    }
}

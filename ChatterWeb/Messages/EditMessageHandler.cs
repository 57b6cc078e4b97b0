using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

public sealed class EditMessageHandler(MessageChanges changes, RoomDirectory rooms, MessageRate rate, TimeProvider time)
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
        var view = await changes.ApplyAsync(command.Room, target.Id, (messages, changeSeq, ct) =>
            messages.Where(m => m.AuthorId == command.UserId).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Body, body!)
                .SetProperty(m => m.EditedAt, now)
                .SetProperty(m => m.ChangeSeq, changeSeq), ct), ct);
        return view is null ? new MessageChangeResult.NotFound() : new MessageChangeResult.Changed(view);
    }
}

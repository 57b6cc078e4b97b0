using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

public sealed class DeleteMessageHandler(MessageChanges changes, RoomDirectory rooms, TimeProvider time)
{
    public async Task<MessageChangeResult> HandleAsync(DeleteMessage command, CancellationToken ct = default)
    {
        var target = await changes.FindAsync(command.Room.Id, command.Seq, ct);
        if (target is null || target.Deleted)
            return new MessageChangeResult.NotFound();
        if (await rooms.IsArchivedAsync(command.Room.Id, ct))
            return new MessageChangeResult.Archived(PostMessage.ArchivedError);
        if (!DeleteMessage.May(target, command.UserId))
            return new MessageChangeResult.Forbidden(DeleteMessage.NotAllowedError);

        var now = time.GetUtcNow();
        var view = await changes.ApplyAsync(command.Room, target.Id, (messages, changeSeq, ct) =>
            messages.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Body, "")
                .SetProperty(m => m.DeletedAt, now)
                .SetProperty(m => m.ChangeSeq, changeSeq), ct), ct);
        return view is null ? new MessageChangeResult.NotFound() : new MessageChangeResult.Changed(view);
    }
}

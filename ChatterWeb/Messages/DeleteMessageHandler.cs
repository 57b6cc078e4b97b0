using ChatterWeb.Accounts.Audit;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

public sealed class DeleteMessageHandler(MessageChanges changes, AuditTrail audit, TimeProvider time)
{
    public async Task<MessageChangeResult> HandleAsync(DeleteMessage command, CancellationToken ct = default)
    {
        var target = await changes.FindAsync(command.Room.Id, command.Seq, ct);
        if (target is null || target.Deleted)
            return new MessageChangeResult.NotFound();
        if (!DeleteMessage.May(command.Room, target, command.UserId, command.ByAdministrator))
            return new MessageChangeResult.Forbidden(DeleteMessage.NotAllowedError);

        var moderation = DeleteMessage.IsModeration(command.Room, target, command.UserId, command.ByAdministrator);
        var now = time.GetUtcNow();
        var view = await changes.ApplyAsync(command.Room, target.Id, (messages, changeSeq, ct) =>
            messages.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Body, "")
                .SetProperty(m => m.DeletedAt, now)
                .SetProperty(m => m.DeletedByAdministrator, moderation)
                .SetProperty(m => m.ChangeSeq, changeSeq), ct), ct);
        if (view is null)
            return new MessageChangeResult.NotFound();
        if (moderation)
            await audit.RecordAsync(AuditActions.MessageRemoved, null, target.AuthorId, view.AuthorName,
                $"#{command.Room.Name} message {command.Seq}", actorId: command.UserId);
        return new MessageChangeResult.Changed(view);
    }
}

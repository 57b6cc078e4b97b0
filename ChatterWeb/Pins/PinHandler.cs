using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Pins;

/// <summary>
/// The one way a pin is stored, for the socket frame and the form alike. The message must be there
/// and not deleted, the room not archived, the person allowed (<see cref="PinRights"/>) and within the
/// rate of posting (<see cref="MessageRate"/>, the bucket reactions and messages spend from). A pin is
/// a change of the message (<see cref="MessageChanges"/>): the room's next change number and the pin in
/// one transaction, then "changed" for every listener, carrying the room's new pin count, so every open
/// page updates live, another instance hears it over the bus, and a resume replays it once.
/// </summary>
public sealed class PinHandler(MessageChanges changes, RoomDirectory rooms, PinRights rights, MessageRate limiter, TimeProvider time)
{
    public async Task<MessageChangeResult> HandleAsync(PinMessage command, CancellationToken ct = default)
    {
        var target = await changes.FindAsync(command.Room.Id, command.Seq, ct);
        if (target is null || target.Deleted)
            return new MessageChangeResult.NotFound();
        if (await rooms.IsArchivedAsync(command.Room.Id, ct))
            return new MessageChangeResult.Archived(PostMessage.ArchivedError);
        if (!await rights.MayPinAsync(command.Room, command.UserId, ct))
            return new MessageChangeResult.Forbidden(PinMessage.NotAllowedError);
        if (command.Pinned == target.Pinned)
            return new MessageChangeResult.Unchanged();
        if (!limiter.TryTake(command.UserId))
            return new MessageChangeResult.TooFast(PinMessage.TooFastError);

        var now = time.GetUtcNow();
        var unchanged = false;
        var view = await changes.ApplyAsync(command.Room, target.Id, async (messages, changeSeq, ct) =>
        {
            // Read inside the transaction, after the room row is locked: the state every other change waits behind.
            var stored = await messages.Select(m => new { Pinned = m.PinnedAt != null }).SingleOrDefaultAsync(ct);
            if (stored is null)
                return 0;
            var pin = command.Pinned ?? !stored.Pinned;
            if (pin == stored.Pinned)
            {
                unchanged = true;
                return 0;
            }
            return pin
                ? await messages.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.PinnedAt, now)
                    .SetProperty(m => m.PinnedById, command.UserId)
                    .SetProperty(m => m.ChangeSeq, changeSeq), ct)
                : await messages.ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.PinnedAt, (DateTimeOffset?)null)
                    .SetProperty(m => m.PinnedById, (string?)null)
                    .SetProperty(m => m.ChangeSeq, changeSeq), ct);
        }, ct, pinsChanged: true);
        return view is not null ? new MessageChangeResult.Changed(view)
            : unchanged ? new MessageChangeResult.Unchanged()
            : new MessageChangeResult.NotFound();
    }
}

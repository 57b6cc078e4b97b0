using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// The part edits, deletes, reactions and pins share: take the room's next change number and update the message in
/// one transaction (the room-row update serialises changes per room, so change numbers are commit
/// order), then announce the message as it now is (<see cref="MessageEvents.ChangedAsync"/>).
/// </summary>
public sealed class MessageChanges(ChatterDbContext db, MessageHistory history, MessageEvents events)
{
    /// <summary>The message's author, whether it is deleted, and who created the room; null if there is no such message.</summary>
    public Task<Target?> FindAsync(long roomId, long seq, CancellationToken ct) =>
        db.Messages.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.Seq == seq)
            .Select(m => new Target(m.Id, m.AuthorId, m.Body, m.DeletedAt != null, db.Rooms.Where(r => r.Id == roomId).Select(r => r.CreatedById).First())
            {
                Pinned = m.PinnedAt != null,
            })
            .SingleOrDefaultAsync(ct)!;

    public sealed record Target(long Id, string AuthorId, string Body, bool Deleted, string? RoomCreatorId)
    {
        /// <summary>Pinned to the room when it was read.</summary>
        public bool Pinned { get; init; }
    }

    /// <summary>
    /// Applies <paramref name="update"/> to the message (if it is not deleted meanwhile) with the room's
    /// next change number. Returns the message as stored, or null if it was deleted before we got to it.
    /// <paramref name="pinsChanged"/>: the change may have changed the room's pins (a pin, an unpin, the
    /// delete of a pinned message); the announced message then carries the room's pin count, read after
    /// the message, so it is at least as new as the change number the message shows.
    /// </summary>
    public async Task<MessageView?> ApplyAsync(RoomInfo room, long messageId,
        Func<IQueryable<Message>, long, CancellationToken, Task<int>> update, CancellationToken ct, bool pinsChanged = false)
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

        var view = await history.ByIdAsync(messageId, ct) ?? throw new InvalidOperationException($"Message {messageId} was changed and is gone.");
        if (pinsChanged)
            view = view with { RoomPinCount = await history.PinCountAsync(room.Id, ct) };
        await events.ChangedAsync(room, view);
        return view;
    }
}

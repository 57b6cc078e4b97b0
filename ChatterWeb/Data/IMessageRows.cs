namespace ChatterWeb.Data;

/// <summary>
/// The message writer's two statements, which each database spells its own way; one implementation
/// per provider (<c>Data/Sqlite</c>, <c>Data/SqlServer</c>), chosen once at start. Both run inside
/// the writer's transaction on the scope's context.
/// </summary>
public interface IMessageRows
{
    /// <summary>
    /// Moves the room's LastSeq on by <paramref name="count"/> and returns the new value: one
    /// single-row UPDATE by primary key that returns the row, so the room row stays locked to the
    /// commit (Seq order is commit order, with no gaps). Null, and nothing moved, when the room is
    /// archived (or gone): the archive is checked in the same statement that takes the Seqs, so no
    /// message is stored in a room archived a moment before, and posting needs no read of its own.
    /// </summary>
    Task<long?> AdvanceSeqAsync(long roomId, long count, CancellationToken ct);

    /// <summary>
    /// Inserts the messages as one statement where the database has a fast way to; false when it
    /// does not apply (the caller saves them through EF). A refused row (a resent ClientMessageId)
    /// fails the statement as EF would (<see cref="Microsoft.EntityFrameworkCore.DbUpdateException"/>).
    /// </summary>
    Task<bool> TryInsertAsync(IReadOnlyList<Message> messages, CancellationToken ct);
}

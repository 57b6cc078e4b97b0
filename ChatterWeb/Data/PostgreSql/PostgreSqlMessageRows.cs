using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.PostgreSql;

/// <summary>
/// PostgreSQL's message statements, as plain commands: the seq by <c>UPDATE … RETURNING</c>, and a
/// batch without files as ONE multi-row INSERT of arrays unnested into rows. The statement text is
/// the same for every batch size (seven array parameters, one per column), so the server parses and
/// plans it once per connection rather than once per size.
/// </summary>
public sealed class PostgreSqlMessageRows(ChatterDbContext db) : IMessageRows
{
    /// <summary>
    /// The writer's transaction waits at most this long for a lock (the room row, held by a stray
    /// transaction): its senders hear "not saved" within seconds, as with SQLite's busy timeout,
    /// instead of every room of the instance waiting out the command timeout behind one row. Set for
    /// the rest of the transaction (SET LOCAL), in the same round trip as the first statement.
    /// </summary>
    public const int LockTimeoutMilliseconds = 3000;

    private static readonly string AdvanceSeq = $"SET LOCAL lock_timeout = {LockTimeoutMilliseconds}; "
        + "UPDATE \"Rooms\" SET \"LastSeq\" = \"LastSeq\" + @count WHERE \"Id\" = @room AND \"ArchivedAt\" IS NULL RETURNING \"LastSeq\"";

    /// <summary>ChangeSeq 0, the rest null (not edited, not deleted).</summary>
    private const string Insert =
        "INSERT INTO \"Messages\" (\"RoomId\", \"Seq\", \"AuthorId\", \"Body\", \"ClientMessageId\", \"CreatedAt\", \"Mentions\", \"ContinuesPrevious\", \"ChangeSeq\") "
        + "SELECT r.room, r.seq, r.author, r.body, r.client, r.created, r.mentions, r.continues, 0 "
        + "FROM unnest(@rooms, @seqs, @authors, @bodies, @clients, @created, @mentions, @continues) AS r(room, seq, author, body, client, created, mentions, continues)";

    public Task<long?> AdvanceSeqAsync(long roomId, long count, CancellationToken ct) => db.AdvanceSeqAsync(AdvanceSeq, roomId, count, ct);

    /// <summary>Messages without a file, not replies and without an @here/@room (those go through EF: a reply's thread columns and the room-wide mention are not in this statement, and an attachment row needs the message's Id, which nothing else reads afterwards: a message is its room and Seq).</summary>
    public async Task<bool> TryInsertAsync(IReadOnlyList<Message> messages, CancellationToken ct)
    {
        if (messages.Count == 0 || messages.Any(m => m.Attachment is not null || m.ParentSeq is not null || m.RoomMention != RoomMention.None))
            return false;
        await using var command = db.NewCommand(Insert);
        command.AddParameter("@rooms", messages.Select(m => m.RoomId).ToArray());
        command.AddParameter("@seqs", messages.Select(m => m.Seq).ToArray());
        command.AddParameter("@authors", messages.Select(m => m.AuthorId).ToArray());
        command.AddParameter("@bodies", messages.Select(m => m.Body).ToArray());
        command.AddParameter("@clients", messages.Select(m => m.ClientMessageId).ToArray());
        command.AddParameter("@created", messages.Select(m => m.CreatedAt).ToArray());
        command.AddParameter("@mentions", messages.Select(m => m.Mentions).ToArray());
        command.AddParameter("@continues", messages.Select(m => m.ContinuesPrevious).ToArray());
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (System.Data.Common.DbException e) when (!e.IsTransient)
        {
            // a refused row (a resent ClientMessageId) fails as EF would; a transient failure stays
            // what it is, so the execution strategy retries the transaction
            throw new DbUpdateException("An error occurred while saving the messages. See the inner exception for details.", e);
        }
        return true;
    }
}

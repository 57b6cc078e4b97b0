using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.Sqlite;

/// <summary>
/// SQLite's message statements, as plain commands: the seq by <c>UPDATE … RETURNING</c>, and a
/// batch without files as ONE multi-row INSERT. EF's pipeline for the same (an ExecuteUpdate and a
/// read back; SaveChanges with change detection, a command per row with RETURNING and fix-up) was
/// most of the writer's time per batch (4.5 of 6.5 ms per batch of 8 at 750 messages a second),
/// and the writer is one loop: its time per batch bounds how many messages an instance stores.
/// </summary>
public sealed class SqliteMessageRows(ChatterDbContext db) : IMessageRows
{
    /// <summary>Most rows in one INSERT (the writer's largest batch).</summary>
    public const int MaxRows = 128;

    private const string AdvanceSeq = "UPDATE \"Rooms\" SET \"LastSeq\" = \"LastSeq\" + @count WHERE \"Id\" = @room AND \"ArchivedAt\" IS NULL RETURNING \"LastSeq\"";

    /// <summary>The parameters of one row, in the order of the INSERT's columns.</summary>
    private static readonly string[] Row = ["r", "s", "a", "b", "c", "t", "m", "g"];

    /// <summary>Parameter names by row (<c>@r0</c>, <c>@s0</c>, ...), made once: the SQL text and the values use the same ones.</summary>
    private static readonly string[][] Names = [.. Enumerable.Range(0, MaxRows).Select(i => Row.Select(p => $"@{p}{i}").ToArray())];

    /// <summary>The INSERT for n rows, made once per n; ChangeSeq 0, the rest null (not edited, not deleted).</summary>
    private static readonly string?[] Inserts = new string?[MaxRows + 1];

    private static string InsertFor(int rows) => Inserts[rows] ??=
        "INSERT INTO \"Messages\" (\"RoomId\", \"Seq\", \"AuthorId\", \"Body\", \"ClientMessageId\", \"CreatedAt\", \"Mentions\", \"ContinuesPrevious\", \"ChangeSeq\") VALUES "
        + string.Join(", ", Names.Take(rows).Select(names => $"({string.Join(", ", names)}, 0)"));

    public Task<long?> AdvanceSeqAsync(long roomId, long count, CancellationToken ct) => db.AdvanceSeqAsync(AdvanceSeq, roomId, count, ct);

    /// <summary>
    /// Messages without a file, not replies and without an @here/@room (those go through EF: a reply's thread columns and the room-wide mention are not in this statement, and an attachment row needs the message's Id, which nothing else reads
    /// afterwards: a message is its room and Seq). CreatedAt goes through the model's own converter,
    /// so it is stored exactly as EF stores it.
    /// </summary>
    public async Task<bool> TryInsertAsync(IReadOnlyList<Message> messages, CancellationToken ct)
    {
        if (messages.Count is 0 or > MaxRows || messages.Any(m => m.Attachment is not null || m.ParentSeq is not null || m.RoomMention != RoomMention.None))
            return false;
        // the column as the model stores it (SqliteChatterDbContext: DateTimeOffsetToBinaryConverter, a long)
        var createdAt = db.Model.FindEntityType(typeof(Message))!.FindProperty(nameof(Message.CreatedAt))!.GetTypeMapping().Converter;
        await using var command = db.NewCommand(InsertFor(messages.Count));
        for (var i = 0; i < messages.Count; i++)
        {
            var (m, names) = (messages[i], Names[i]);
            command.AddParameter(names[0], m.RoomId);
            command.AddParameter(names[1], m.Seq);
            command.AddParameter(names[2], m.AuthorId);
            command.AddParameter(names[3], m.Body);
            command.AddParameter(names[4], m.ClientMessageId);
            command.AddParameter(names[5], createdAt is null ? m.CreatedAt : createdAt.ConvertToProvider(m.CreatedAt));
            command.AddParameter(names[6], m.Mentions);
            command.AddParameter(names[7], m.ContinuesPrevious);
        }
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (System.Data.Common.DbException e)
        {
            throw new DbUpdateException("An error occurred while saving the messages. See the inner exception for details.", e);
        }
        return true;
    }
}

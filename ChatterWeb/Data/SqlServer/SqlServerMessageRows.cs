namespace ChatterWeb.Data.SqlServer;

/// <summary>SQL Server's message statements: the seq by <c>UPDATE … OUTPUT</c>; rows go through EF (it batches them itself).</summary>
public sealed class SqlServerMessageRows(ChatterDbContext db) : IMessageRows
{
    private const string AdvanceSeq = "UPDATE [Rooms] SET [LastSeq] = [LastSeq] + @count OUTPUT INSERTED.[LastSeq] WHERE [Id] = @room AND [ArchivedAt] IS NULL";

    public Task<long?> AdvanceSeqAsync(long roomId, long count, CancellationToken ct) => db.AdvanceSeqAsync(AdvanceSeq, roomId, count, ct);

    public Task<bool> TryInsertAsync(IReadOnlyList<Message> messages, CancellationToken ct) => Task.FromResult(false);
}

namespace ChatterWeb.Data.SqlServer;

/// <summary>SQL Server: one <c>UPDATE … SET LastReadSeq = CASE UserId … END OUTPUT INSERTED.UserId …</c> per room (see <see cref="IReadMarkRows"/>).</summary>
public sealed class SqlServerReadMarkRows(ChatterDbContext db) : IReadMarkRows
{
    private static readonly ReadMarkStatement Statement = new(readers =>
    {
        var (cases, users) = ReadMarkStatement.Parts(readers);
        return $"UPDATE [Memberships] SET [LastReadSeq] = CASE [UserId]{cases} END OUTPUT INSERTED.[UserId] "
            + $"WHERE [RoomId] = @room AND [UserId] IN ({users}) AND [LastReadSeq] < CASE [UserId]{cases} END";
    });

    public Task<List<string>> MoveAsync(long roomId, IReadOnlyList<(string UserId, long Seq)> readers, CancellationToken ct) =>
        Statement.RunAsync(db, roomId, readers, ct);
}

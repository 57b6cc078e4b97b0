namespace ChatterWeb.Data.Sqlite;

/// <summary>SQLite: one <c>UPDATE … SET LastReadSeq = CASE UserId … END … RETURNING UserId</c> per room (see <see cref="IReadMarkRows"/>).</summary>
public sealed class SqliteReadMarkRows(ChatterDbContext db) : IReadMarkRows
{
    private static readonly ReadMarkStatement Statement = new(readers =>
    {
        var (cases, users) = ReadMarkStatement.Parts(readers);
        return $"UPDATE \"Memberships\" SET \"LastReadSeq\" = CASE \"UserId\"{cases} END "
            + $"WHERE \"RoomId\" = @room AND \"UserId\" IN ({users}) AND \"LastReadSeq\" < CASE \"UserId\"{cases} END RETURNING \"UserId\"";
    });

    public Task<List<string>> MoveAsync(long roomId, IReadOnlyList<(string UserId, long Seq)> readers, CancellationToken ct) =>
        Statement.RunAsync(db, roomId, readers, ct);
}

namespace ChatterWeb.Data.PostgreSql;

/// <summary>
/// PostgreSQL: one <c>UPDATE … FROM unnest(@users, @seqs) … RETURNING</c> per room (see
/// <see cref="IReadMarkRows"/>): the readers and their seqs as two arrays, one statement text for
/// any number of readers.
/// </summary>
public sealed class PostgreSqlReadMarkRows(ChatterDbContext db) : IReadMarkRows
{
    private const string Move =
        "UPDATE \"Memberships\" AS m SET \"LastReadSeq\" = r.seq FROM unnest(@users, @seqs) AS r(user_id, seq) "
        + "WHERE m.\"RoomId\" = @room AND m.\"UserId\" = r.user_id AND m.\"LastReadSeq\" < r.seq RETURNING m.\"UserId\"";

    public async Task<List<string>> MoveAsync(long roomId, IReadOnlyList<(string UserId, long Seq)> readers, CancellationToken ct)
    {
        if (readers.Count is 0 or > IReadMarkRows.PerStatement)
            throw new ArgumentOutOfRangeException(nameof(readers), readers.Count, $"1 to {IReadMarkRows.PerStatement} readers per statement.");
        await using var command = db.NewCommand(Move);
        command.AddParameter("@room", roomId);
        command.AddParameter("@users", readers.Select(r => r.UserId).ToArray());
        command.AddParameter("@seqs", readers.Select(r => r.Seq).ToArray());
        var moved = new List<string>(readers.Count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            moved.Add(reader.GetString(0));
        return moved;
    }
}

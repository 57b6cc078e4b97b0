using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// Runs a provider's read-mark statement (<see cref="IReadMarkRows"/>): <c>@room</c>, then
/// <c>@u0</c>/<c>@s0</c> and on, one reader each; its one result column is the user id of each
/// reader who moved. The statements are made once per reader count by <paramref name="build"/>.
/// </summary>
internal sealed class ReadMarkStatement(Func<int, string> build)
{
    private readonly string?[] _byReaders = new string?[IReadMarkRows.PerStatement + 1];

    public async Task<List<string>> RunAsync(ChatterDbContext db, long roomId, IReadOnlyList<(string UserId, long Seq)> readers, CancellationToken ct)
    {
        if (readers.Count is 0 or > IReadMarkRows.PerStatement)
            throw new ArgumentOutOfRangeException(nameof(readers), readers.Count, $"1 to {IReadMarkRows.PerStatement} readers per statement.");
        // the provider's own mapping of the key column (on SQL Server nvarchar(450), as EF sends it: a seek, one cached plan per reader count)
        var userIdColumn = db.Model.FindEntityType(typeof(Membership))!.FindProperty(nameof(Membership.UserId))!.GetRelationalTypeMapping();
        await using var command = db.NewCommand(_byReaders[readers.Count] ??= build(readers.Count));
        command.AddParameter("@room", roomId);
        for (var i = 0; i < readers.Count; i++)
        {
            command.Parameters.Add(userIdColumn.CreateParameter(command, $"@u{i}", readers[i].UserId, nullable: false));
            command.AddParameter($"@s{i}", readers[i].Seq);
        }
        var moved = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            moved.Add(reader.GetString(0));
        return moved;
    }

    /// <summary>" WHEN @u0 THEN @s0 WHEN @u1 THEN @s1 …" and "@u0, @u1, …" for <paramref name="readers"/> readers.</summary>
    public static (string Cases, string Users) Parts(int readers)
    {
        var range = Enumerable.Range(0, readers);
        return (string.Concat(range.Select(i => $" WHEN @u{i} THEN @s{i}")), string.Join(", ", range.Select(i => $"@u{i}")));
    }
}

namespace ChatterWeb.Data;

/// <summary>
/// One room's read marks as ONE statement: each reader's <see cref="Membership.LastReadSeq"/> moves
/// to their own seq where that is further on, and the statement returns who moved. One
/// implementation per provider, chosen once; it runs inside the caller's transaction.
/// </summary>
public interface IReadMarkRows
{
    /// <summary>Most readers in one statement (two parameters each, well inside SQL Server's 2,100).</summary>
    public const int PerStatement = 500;

    Task<List<string>> MoveAsync(long roomId, IReadOnlyList<(string UserId, long Seq)> readers, CancellationToken ct);
}

namespace ChatterWeb.Data.PostgreSql;

/// <summary>
/// PostgreSQL: nothing. EF's retrying strategy reopens a connection it opened itself, and an open
/// from Npgsql's pool costs next to nothing (the server connection stays open in the pool).
/// </summary>
public sealed class PostgreSqlRequestConnection : IRequestConnection
{
    public Task OpenForReadsAsync(CancellationToken ct) => Task.CompletedTask;
}

namespace ChatterWeb.Data.SqlServer;

/// <summary>
/// SQL Server: nothing. EF's retrying strategy reopens a connection it opened itself, and an open
/// from SqlClient's pool costs next to nothing.
/// </summary>
public sealed class SqlServerRequestConnection : IRequestConnection
{
    public Task OpenForReadsAsync(CancellationToken ct) => Task.CompletedTask;
}

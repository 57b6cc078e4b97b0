using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace ChatterWeb.SqlServerTests;

/// <summary>
/// A fresh database on the test run's SQL Server: one container per test process (started on first
/// use, removed when the process exits), a database per test class, created by the app's own
/// start-up migration and dropped at the end.
/// </summary>
public sealed class SqlServerTestDatabase : TestDatabase
{
    private static readonly Lazy<Task<MsSqlContainer>> Container = new(StartAsync);

    private readonly string _server;
    private readonly string _name = $"chatter_{Guid.NewGuid():N}";

    public SqlServerTestDatabase()
    {
        // on the thread pool: a fixture's constructor must not wait for work queued to the test framework's own threads
        _server = Task.Run(() => Container.Value).GetAwaiter().GetResult().GetConnectionString();
    }

    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public override string ConnectionString => new SqlConnectionStringBuilder(_server) { InitialCatalog = _name }.ToString();

    /// <summary>The room's row under an update lock held to the end of the transaction.</summary>
    public override async Task<IAsyncDisposable> HoldWritesAsync(long roomId) =>
        await HeldTransaction.BeginAsync(new SqlConnection(ConnectionString),
            $"BEGIN TRANSACTION; SELECT 1 FROM [Rooms] WITH (UPDLOCK, HOLDLOCK, ROWLOCK) WHERE [Id] = {roomId}", "ROLLBACK");

    public override void Dispose()
    {
        SqlConnection.ClearAllPools();
        using var connection = new SqlConnection(_server);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"IF DB_ID(N'{_name}') IS NOT NULL BEGIN ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]; END";
        command.ExecuteNonQuery();
    }

    private static async Task<MsSqlContainer> StartAsync()
    {
        var container = new MsSqlBuilder("mcr.microsoft.com/mssql/server:2022-latest").Build();
        await container.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return container;
    }
}

/// <summary><see cref="ChatterServer"/> on a fresh SQL Server database.</summary>
public class SqlServerChatterServer() : ChatterServer(new SqlServerTestDatabase());

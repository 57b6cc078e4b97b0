using ChatterWeb.Data;
using Microsoft.Data.Sqlite;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>The database a <see cref="ChatterServer"/> runs on: made before the server starts, gone after it stops.</summary>
public abstract class TestDatabase : IDisposable
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>What the app is given as <c>ConnectionStrings:Chatter</c>.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>The server started; <paramref name="appConnectionString"/> is the connection string the app's context really uses (its pool's key).</summary>
    public virtual void Started(string appConnectionString)
    {
    }

    public abstract void Dispose();

    /// <summary>
    /// Another connection holds what the message writer needs for <paramref name="roomId"/> until the
    /// result is disposed (rolled back): on SQLite the file's write lock, on a server the room's row.
    /// </summary>
    public abstract Task<IAsyncDisposable> HoldWritesAsync(long roomId);

    /// <summary>A fresh database of the test run's PostgreSQL cluster (<see cref="PostgresServer.Shared"/>).</summary>
    public static TestDatabase PostgreSql() => new PostgreSqlTestDatabase();
}

/// <summary>A SQLite file, its pool cleared at the end.</summary>
public sealed class SqliteTestDatabase(string path) : TestDatabase
{
    private string? _appConnectionString;

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    public override string ConnectionString => $"Data Source={path}";

    public override void Started(string appConnectionString) => _appConnectionString = appConnectionString;

    public override async Task<IAsyncDisposable> HoldWritesAsync(long roomId) =>
        await HeldTransaction.BeginAsync(new SqliteConnection(ConnectionString), "BEGIN IMMEDIATE", "ROLLBACK");

    public override void Dispose()
    {
        // This server's pool only: ClearAllPools is process-wide, and SQLite deletes a database's WAL
        // file when its last connection closes, under another test class's feet.
        if (_appConnectionString is not null)
            SqliteConnection.ClearPool(new SqliteConnection(_appConnectionString));
    }
}

/// <summary>A new database of the shared PostgreSQL cluster, dropped at the end.</summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    private readonly PostgresServer _server;
    private readonly string _name;

    public PostgreSqlTestDatabase()
    {
        // on the thread pool: a fixture's constructor must not wait for work queued to the test framework's own threads
        (_server, _name) = Task.Run(async () =>
        {
            var server = await PostgresServer.Shared;
            return (server, await server.CreateDatabaseAsync("chatter"));
        }).GetAwaiter().GetResult();
    }

    public PostgresServer Server => _server;
    public string Name => _name;

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
    public override string ConnectionString => _server.ConnectionString(_name);

    public override async Task<IAsyncDisposable> HoldWritesAsync(long roomId) =>
        await HeldTransaction.BeginAsync(new Npgsql.NpgsqlConnection(ConnectionString + ";Pooling=false"),
            $"BEGIN; SELECT 1 FROM \"Rooms\" WHERE \"Id\" = {roomId} FOR UPDATE", "ROLLBACK");

    /// <summary>Drops it; WITH (FORCE) closes what the stopped app's pool still held.</summary>
    public override void Dispose()
    {
        Task.Run(() => _server.DropDatabaseAsync(_name)).GetAwaiter().GetResult();
    }
}

/// <summary><see cref="ChatterServer"/> on a fresh PostgreSQL database.</summary>
public class PostgreSqlChatterServer() : ChatterServer(TestDatabase.PostgreSql());

/// <summary>A transaction begun on a connection of its own, rolled back (and the connection closed) on dispose.</summary>
public sealed class HeldTransaction : IAsyncDisposable
{
    private readonly System.Data.Common.DbConnection _connection;
    private readonly string _end;

    private HeldTransaction(System.Data.Common.DbConnection connection, string end) => (_connection, _end) = (connection, end);

    public static async Task<HeldTransaction> BeginAsync(System.Data.Common.DbConnection connection, string begin, string end)
    {
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = begin;
        await command.ExecuteNonQueryAsync();
        return new HeldTransaction(connection, end);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var command = _connection.CreateCommand())
        {
            command.CommandText = _end;
            await command.ExecuteNonQueryAsync();
        }
        await _connection.DisposeAsync();
    }
}

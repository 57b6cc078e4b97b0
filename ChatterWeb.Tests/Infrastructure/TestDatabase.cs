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
        _server = PostgresServer.Shared.GetAwaiter().GetResult();
        _name = _server.CreateDatabaseAsync("chatter").GetAwaiter().GetResult();
    }

    public PostgresServer Server => _server;
    public string Name => _name;

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
    public override string ConnectionString => _server.ConnectionString(_name);

    /// <summary>Drops it; WITH (FORCE) closes what the stopped app's pool still held.</summary>
    public override void Dispose()
    {
        _server.DropDatabaseAsync(_name).GetAwaiter().GetResult();
    }
}

/// <summary><see cref="ChatterServer"/> on a fresh PostgreSQL database.</summary>
public class PostgreSqlChatterServer() : ChatterServer(TestDatabase.PostgreSql());

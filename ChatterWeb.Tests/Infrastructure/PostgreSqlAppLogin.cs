using System.Text.RegularExpressions;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// A database set up the way docs/OPERATIONS.md ("The rights the app's login needs") says, by running
/// that very SQL block (with names of its own): an owner that is no superuser migrates it, and the app
/// runs as a login with data rights alone and <c>MigrateOnStartup=false</c>.
/// </summary>
public sealed class PostgreSqlAppLoginDatabase : TestDatabase
{
    private readonly PostgresServer _server;
    private readonly string _database;
    private readonly string _owner;
    private readonly string _app;

    public PostgreSqlAppLoginDatabase()
    {
        _server = Task.Run(() => PostgresServer.Shared).GetAwaiter().GetResult();
        var id = Guid.NewGuid().ToString("N")[..8];
        (_database, _owner, _app) = ($"chatter_{id}", $"chatter_owner_{id}", $"chatter_app_{id}");
        Task.Run(SetUpAsync).GetAwaiter().GetResult(); // on the thread pool, as PostgreSqlTestDatabase does
    }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    /// <summary>The app's login: no DDL, no ownership.</summary>
    public override string ConnectionString => Login(_app);

    private string Login(string user) => new NpgsqlConnectionStringBuilder(_server.ConnectionString(_database)) { Username = user }.ToString();

    /// <summary>The statements of the documented block, in order: those before <c>\c</c> in the server's own database, the rest in the new one.</summary>
    public static (List<string> Server, List<string> Database) DocumentedStatements()
    {
        var doc = RepositoryRoot.Read("docs/OPERATIONS.md");
        var block = Regex.Match(doc, @"\*\*The rights the app's login needs\.\*\*.*?```sql\n(?<sql>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "docs/OPERATIONS.md has no SQL block for the app's login");
        var lines = block.Groups["sql"].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("--")).ToList();
        var connect = lines.FindIndex(l => l.StartsWith(@"\c "));
        Assert.True(connect > 0, @"the block connects to the new database with \c");
        return (lines[..connect], lines[(connect + 1)..]);
    }

    private async Task SetUpAsync()
    {
        var (onServer, onDatabase) = DocumentedStatements();
        foreach (var sql in onServer)
            await _server.ExecuteAsync(Named(sql));
        await using (var admin = new NpgsqlConnection(_server.ConnectionString(_database) + ";Pooling=false"))
        {
            await admin.OpenAsync();
            foreach (var sql in onDatabase)
            {
                await using var command = new NpgsqlCommand(Named(sql), admin);
                await command.ExecuteNonQueryAsync();
            }
        }
        // the owner (no superuser) applies the migrations, unaccent and the search configuration included
        var options = new DbContextOptionsBuilder<PostgreSqlChatterDbContext>().UseNpgsql(Login(_owner) + ";Pooling=false").Options;
        await using var db = new PostgreSqlChatterDbContext(options);
        await db.Database.MigrateAsync();
    }

    private string Named(string sql) => Regex.Replace(sql.Replace("chatter_owner", _owner).Replace("chatter_app", _app), @"\bchatter\b(?!_)", _database)
        .Replace("PASSWORD '...'", "PASSWORD 'unused'");

    public override Task<IAsyncDisposable> HoldWritesAsync(long roomId) => throw new NotSupportedException();

    public override void Dispose()
    {
        Task.Run(async () =>
        {
            await _server.DropDatabaseAsync(_database);
            await _server.ExecuteAsync($"DROP ROLE IF EXISTS \"{_app}\"; DROP ROLE IF EXISTS \"{_owner}\"");
        }).GetAwaiter().GetResult();
    }
}

/// <summary><see cref="ChatterServer"/> as the app's own login on a database its owner migrated (docs/OPERATIONS.md).</summary>
public sealed class PostgreSqlAppLoginServer() : ChatterServer(new PostgreSqlAppLoginDatabase())
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Chatter:Database:MigrateOnStartup", "false")];
}

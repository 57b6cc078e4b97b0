using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.Sqlite;

/// <summary>
/// The default: an embedded SQLite file (<c>data/chatter.db</c> under the content root unless
/// <c>ConnectionStrings:Chatter</c> says otherwise), with its pragmas on every connection, its WAL
/// checkpoints off the commit path, and SQLite's own spelling of the statements features need.
/// </summary>
public static class SqliteProvider
{
    public static void AddSqliteDatabase(this IServiceCollection services, string? connectionString, string contentRoot)
    {
        var sqlite = SqliteConnectionFor(connectionString, contentRoot);
        services.AddDbContextPool<SqliteChatterDbContext>(o => o.UseSqlite(sqlite).AddInterceptors(new SqlitePragmas()));
        services.AddScoped<ChatterDbContext>(sp => sp.GetRequiredService<SqliteChatterDbContext>());
        services.AddScoped<IMessageRows, SqliteMessageRows>();
        services.AddScoped<IReadMarkRows, SqliteReadMarkRows>();
        services.AddSingleton(new WriteTurns(oneAtATime: true));
        services.AddScoped<IMessageMatches, SqliteMessageMatches>();
        services.AddScoped<IRequestConnection, SqliteRequestConnection>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SqliteCheckpointer>(sp, sqlite));
        services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
    }

    /// <summary>
    /// Resolves a relative SQLite file against the content root and makes sure its folder exists,
    /// so <c>dotnet run</c> works from any directory.
    /// </summary>
    internal static string SqliteConnectionFor(string? configured, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? DatabaseOptions.DefaultSqliteConnection : configured);
        if (csb.DataSource is { Length: > 0 } file && file != ":memory:" && csb.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(contentRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            csb.DataSource = path;
        }
        csb.Pooling = true;
        // Seconds a writer waits for SQLite's write lock. A message insert holds it for well under a
        // millisecond, so a wait this long means the file is stuck: fail, and tell the sender, rather
        // than hang past the post timeout (Microsoft.Data.Sqlite's busy wait ignores cancellation).
        csb.DefaultTimeout = 3;
        return csb.ToString();
    }
}

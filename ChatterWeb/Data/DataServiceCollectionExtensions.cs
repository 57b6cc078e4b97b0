using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

public static class DataServiceCollectionExtensions
{
    public static WebApplicationBuilder AddChatterData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var provider = builder.Configuration.GetValue(DatabaseOptions.Section + ":Provider", DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString("Chatter");

        if (provider == DatabaseProvider.SqlServer)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Chatter:Database:Provider is SqlServer but ConnectionStrings:Chatter is not set.");
            services.AddDbContextPool<SqlServerChatterDbContext>(o =>
                o.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(3)));
            services.AddScoped<ChatterDbContext>(sp => sp.GetRequiredService<SqlServerChatterDbContext>());
        }
        else
        {
            var sqlite = SqliteConnectionFor(connectionString, builder.Environment.ContentRootPath);
            services.AddDbContextPool<SqliteChatterDbContext>(o => o.UseSqlite(sqlite).AddInterceptors(new SqlitePragmas()));
            services.AddScoped<ChatterDbContext>(sp => sp.GetRequiredService<SqliteChatterDbContext>());
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SqliteCheckpointer>(sp, sqlite));
            services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
        }

        services.AddHostedService<DatabaseInitializer>();
        return builder;
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

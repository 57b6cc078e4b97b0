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
            services.AddDbContextPool<SqliteChatterDbContext>(o => o.UseSqlite(sqlite));
            services.AddScoped<ChatterDbContext>(sp => sp.GetRequiredService<SqliteChatterDbContext>());
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
        csb.DefaultTimeout = 30; // seconds a writer waits for the write lock (busy timeout)
        return csb.ToString();
    }
}

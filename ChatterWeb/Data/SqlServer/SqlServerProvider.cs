using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.SqlServer;

/// <summary>SQL Server for a deployment of several instances: EF's retrying strategy, and SQL Server's spelling of the statements features need.</summary>
public static class SqlServerProvider
{
    public static void AddSqlServerDatabase(this IServiceCollection services, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("Chatter:Database:Provider is SqlServer but ConnectionStrings:Chatter is not set.");
        services.AddDbContextPool<SqlServerChatterDbContext>(o => o.UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure(3)));
        services.AddScoped<ChatterDbContext>(sp => sp.GetRequiredService<SqlServerChatterDbContext>());
        services.AddScoped<IMessageRows, SqlServerMessageRows>();
        services.AddScoped<IReadMarkRows, SqlServerReadMarkRows>();
        services.AddSingleton(WriteTurns.Concurrent);
        services.AddScoped<IMessageMatches, SqlServerMessageMatches>();
        services.AddScoped<IRequestConnection, SqlServerRequestConnection>();
    }
}

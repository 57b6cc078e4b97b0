using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.PostgreSql;

/// <summary>
/// PostgreSQL for a deployment of several instances: Npgsql's retrying strategy (a transaction that
/// loses a deadlock or a serialization race, or meets a dropped connection, runs again from its
/// start), and PostgreSQL's spelling of the statements features need.
/// </summary>
public static class PostgreSqlProvider
{
    public static void AddPostgreSqlDatabase(this IServiceCollection services, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("Chatter:Database:Provider is PostgreSQL but ConnectionStrings:Chatter is not set.");
        services.AddDbContextPool<PostgreSqlChatterDbContext>(o => o.UseNpgsql(connectionString, npgsql => npgsql.ExecutionStrategy(d => new PostgreSqlRetries(d))));
        services.AddScoped<ChatterDbContext>(sp => sp.GetRequiredService<PostgreSqlChatterDbContext>());
        services.AddScoped<IMessageRows, PostgreSqlMessageRows>();
        services.AddScoped<IReadMarkRows, PostgreSqlReadMarkRows>();
        services.AddSingleton(WriteTurns.Concurrent);
        services.AddScoped<IMessageMatches, PostgreSqlMessageMatches>();
        services.AddScoped<IRequestConnection, PostgreSqlRequestConnection>();
    }
}

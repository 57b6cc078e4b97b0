using ChatterWeb.Data.PostgreSql;
using ChatterWeb.Data.Sqlite;
using ChatterWeb.Data.SqlServer;

namespace ChatterWeb.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// The database: the provider chosen once here (<c>Chatter:Database:Provider</c>) registers its
    /// context and its own spelling of the provider-specific statements (<see cref="IMessageRows"/>,
    /// <see cref="IReadMarkRows"/>, <see cref="IMessageMatches"/>, <see cref="IRequestConnection"/>);
    /// features use those and never ask which database it is.
    /// </summary>
    public static WebApplicationBuilder AddChatterData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var provider = builder.Configuration.GetValue(DatabaseOptions.Section + ":Provider", DatabaseProvider.Sqlite);
        var connectionString = builder.Configuration.GetConnectionString("Chatter");
        switch (provider)
        {
            case DatabaseProvider.SqlServer:
                services.AddSqlServerDatabase(connectionString);
                break;
            case DatabaseProvider.PostgreSql:
                services.AddPostgreSqlDatabase(connectionString);
                break;
            default:
                services.AddSqliteDatabase(connectionString, builder.Environment.ContentRootPath);
                break;
        }

        services.AddHostedService<DatabaseInitializer>();
        return builder;
    }
}

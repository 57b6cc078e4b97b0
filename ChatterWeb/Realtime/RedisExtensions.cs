using ChatterWeb.Infrastructure;
using ChatterWeb.Presence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ChatterWeb.Realtime;

/// <summary>
/// Scale-out: when <c>ConnectionStrings:Redis</c> is set, the room bus, presence, socket control
/// and the data-protection key ring go through Redis (one multiplexer). Unset: nothing changes.
/// </summary>
public static class RedisExtensions
{
    public const string ConnectionName = "Redis";
    public const string DataProtectionKey = "chatter:dataprotection-keys";

    public static WebApplicationBuilder AddChatterRedis(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<PresenceTracker>();
        var connection = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connection))
        {
            services.AddSingleton<IPresence>(sp => sp.GetRequiredService<PresenceTracker>());
            services.AddSingleton<ISocketControl, LocalSocketControl>();
            return builder;
        }

        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false;          // start and serve locally while Redis is down
        options.BacklogPolicy = BacklogPolicy.FailFast; // nothing queues up behind a dead connection
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 3000);
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ClientName ??= "chatterweb";
        var multiplexer = ConnectionMultiplexer.Connect(options);
        services.AddSingleton<IConnectionMultiplexer>(_ => multiplexer); // a factory: the container disposes it on shutdown

        services.AddSingleton<RedisRoomBus>();
        services.AddSingleton<IRoomBus>(sp => sp.GetRequiredService<RedisRoomBus>());
        services.AddSingleton<RedisPresence>();
        services.AddSingleton<IPresence>(sp => sp.GetRequiredService<RedisPresence>());
        services.AddSingleton<RedisSocketControl>();
        services.AddSingleton<ISocketControl>(sp => sp.GetRequiredService<RedisSocketControl>());
        services.AddHostedService<RedisGapHealer>();
        services.AddHostedService<PresenceHeartbeat>();

        services.AddDataProtection()
            .SetApplicationName("ChatterWeb")
            .PersistKeysToStackExchangeRedis(multiplexer, DataProtectionKey);
        services.AddHealthChecks().AddCheck<RedisCheck>("redis", tags: [Health.ReadyTag]);
        return builder;
    }
}

/// <summary>Ready only while Redis answers a PING within a second.</summary>
internal sealed class RedisCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
            return HealthCheckResult.Unhealthy("redis disconnected");
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("redis did not answer: " + e.Message);
        }
    }
}

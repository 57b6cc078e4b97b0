using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;

namespace ChatterWeb.Delivery.Redis;

/// <summary>
/// Scale-out: when <c>ConnectionStrings:Redis</c> is set, the room, user and control buses and the
/// data-protection key ring go through Redis (one multiplexer), and rooms are healed from the
/// database after Redis loses frames. Nothing connects during registration: the multiplexer is made
/// when first needed, at start.
/// </summary>
public static class RedisDelivery
{
    public const string ConnectionName = "Redis";
    public const string DataProtectionKey = "chatter:dataprotection-keys";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionName));

    internal static WebApplicationBuilder AddRedisDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = ConfigurationOptions.Parse(builder.Configuration.GetConnectionString(ConnectionName)!);
        options.AbortOnConnectFail = false;          // start and serve locally while Redis is down
        options.BacklogPolicy = BacklogPolicy.FailFast; // nothing queues up behind a dead connection
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 3000);
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.ClientName ??= "chatterweb";
        // A factory: made at first use, and the container disposes it on shutdown.
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));

        services.AddSingleton<InstanceId>();
        services.AddSingleton<IRoomBus, RedisRoomBus>();
        services.AddSingleton<IUserBus, RedisUserBus>();
        services.AddSingleton<RedisSocketControl>();
        services.AddSingleton<ISocketControl>(sp => sp.GetRequiredService<RedisSocketControl>());
        services.AddHostedService<RedisHealTriggers>();

        // Every instance reads and writes the same key ring (cookies and antiforgery tokens work on all of them).
        services.AddDataProtection().SetApplicationName("ChatterWeb");
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((keys, redis) =>
            keys.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), DataProtectionKey));
        services.AddHealthChecks().AddCheck<RedisCheck>("redis", tags: [Health.ReadyTag]);
        return builder;
    }
}

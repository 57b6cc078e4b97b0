using ChatterWeb.Delivery;
using StackExchange.Redis;

namespace ChatterWeb.Presence;

public static class PresenceExtensions
{
    /// <summary>
    /// Who has a room open, and who is typing. With Redis between instances (the delivery core
    /// registered a multiplexer) the list is cluster-wide (<see cref="RedisPresence"/>); otherwise
    /// this instance's own sockets are everyone.
    /// </summary>
    public static WebApplicationBuilder AddChatterPresence(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<IPresence>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? ActivatorUtilities.CreateInstance<RedisPresence>(sp, redis)
            : sp.GetRequiredService<PresenceTracker>());
        services.AddSingleton<PresenceBroadcaster>();
        services.AddHostedService<PresenceHeartbeat>();
        services.AddSocketObserver<PresenceObserver>();
        services.AddSocketFrameHandler<TypingFrameHandler>();
        return builder;
    }
}

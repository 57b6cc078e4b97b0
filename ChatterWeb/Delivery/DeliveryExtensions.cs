using ChatterWeb.Delivery.Redis;
using ChatterWeb.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Delivery;

/// <summary>
/// The delivery core's wiring: sockets, their registries and caps, the session that dispatches
/// frames to the handlers features register, and the buses. The one choice between one instance
/// (in-process buses) and several (Redis, when <c>ConnectionStrings:Redis</c> is set) is made here.
/// </summary>
public static class DeliveryExtensions
{
    public static WebApplicationBuilder AddChatterDelivery(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SocketQuota>();
        services.AddSingleton<SocketAdmission>();
        services.AddSingleton<SocketHost>();
        services.AddSingleton<SocketFrameHandlers>();
        services.AddSingleton<RoomSockets>();
        services.AddSingleton<UserSockets>();
        services.AddSingleton<GapHealer>();
        services.AddSingleton<ISocketStats, SocketStats>();
        services.AddHostedService<SocketShutdown>();

        if (RedisDelivery.IsConfigured(builder.Configuration))
        {
            builder.AddRedisDelivery();
        }
        else
        {
            services.AddSingleton<IRoomBus, InProcessRoomBus>();
            services.AddSingleton<IUserBus, InProcessUserBus>();
            services.AddSingleton<ISocketControl, LocalSocketControl>();
        }

        // Kestrel's socket transport from the same bound (and validated) options as the rest.
        builder.WebHost.UseSockets();
        services.AddOptions<SocketTransportOptions>()
            .Configure<IOptions<RealtimeOptions>>((transport, realtime) =>
            {
                transport.UnsafePreferInlineScheduling = realtime.Value.InlineTransport;
                transport.IOQueueCount = realtime.Value.IOQueuesOn(Environment.ProcessorCount);
            });
        return builder;
    }

    /// <summary>A feature's handler for one type of socket frame (see <see cref="ISocketFrameHandler"/>).</summary>
    public static IServiceCollection AddSocketFrameHandler<THandler>(this IServiceCollection services) where THandler : class, ISocketFrameHandler
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISocketFrameHandler, THandler>());
        return services;
    }

    /// <summary>A feature that hears sockets open and close (see <see cref="ISocketObserver"/>).</summary>
    public static IServiceCollection AddSocketObserver<TObserver>(this IServiceCollection services) where TObserver : class, ISocketObserver
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISocketObserver, TObserver>());
        return services;
    }

    /// <summary>Before routing: short-circuited socket endpoints run inside the routing middleware.</summary>
    public static IApplicationBuilder UseChatterDelivery(this IApplicationBuilder app) => app.UseWebSockets();

    public static IEndpointRouteBuilder MapChatterDelivery(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSocket("/me/ws", UserSocketEndpoint.HandleAsync);
        return endpoints;
    }

    /// <summary>
    /// A socket endpoint: it runs as soon as routing has chosen it (<c>ShortCircuit</c>), before the
    /// authentication and authorization middleware, and checks the session itself
    /// (<see cref="SocketAdmission"/>: 403 before the upgrade, not a redirect to the sign-in page).
    /// The middleware would otherwise keep its state for as long as the socket is open. (Routing
    /// refuses a short-circuited endpoint with authorization metadata: do not add RequireAuthorization.)
    /// </summary>
    public static IEndpointConventionBuilder MapSocket(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler) =>
        endpoints.Map(pattern, handler).ShortCircuit();
}

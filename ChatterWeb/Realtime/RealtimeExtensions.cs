namespace ChatterWeb.Realtime;

public static class RealtimeExtensions
{
    public static WebApplicationBuilder AddChatterRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IRoomBus, InProcessRoomBus>(); // AddChatterRedis replaces it when Redis is configured
        builder.Services.AddSingleton<RoomHub>();
        builder.Services.AddSingleton<Presence.PresenceBroadcaster>();
        builder.Services.AddSingleton<SendLimiter>();
        builder.Services.AddHostedService<SocketShutdown>();
        // Kestrel's socket transport from the same bound (and validated) options as the rest.
        builder.WebHost.UseSockets();
        builder.Services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<RealtimeOptions>>((transport, realtime) =>
            {
                transport.UnsafePreferInlineScheduling = realtime.Value.InlineTransport;
                transport.IOQueueCount = realtime.Value.IOQueuesOn(Environment.ProcessorCount);
            });
        return builder;
    }

    /// <summary>Before routing: short-circuited socket endpoints run inside the routing middleware.</summary>
    public static IApplicationBuilder UseChatterRealtime(this IApplicationBuilder app) => app.UseWebSockets();

    public static IEndpointRouteBuilder MapChatterRealtime(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSocket("/rooms/{slug}/ws", RoomSocketEndpoint.HandleAsync);
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

/// <summary>
/// On SIGTERM: every socket gets 1012 at once (htmx reconnects, through the balancer, to another
/// instance); then the instance keeps listening for <see cref="RealtimeOptions.DrainDelay"/> while
/// /readyz and new upgrades answer 503, so the balancer notices before the port closes.
/// The delay sits in <see cref="StoppingAsync"/>, which the host runs before any hosted service
/// (the web server included) is stopped.
/// </summary>
internal sealed class SocketShutdown(RoomHub hub, IHostApplicationLifetime lifetime, Microsoft.Extensions.Options.IOptions<RealtimeOptions> options) : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => hub.CloseAll(CloseCodes.ServiceRestart, "server restarting"));
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.Value.DrainDelay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // the host's shutdown timeout wins
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

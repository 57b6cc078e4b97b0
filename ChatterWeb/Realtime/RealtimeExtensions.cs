namespace ChatterWeb.Realtime;

public static class RealtimeExtensions
{
    public static WebApplicationBuilder AddChatterRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RealtimeOptions>().BindConfiguration(RealtimeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IRoomBus, InProcessRoomBus>();
        builder.Services.AddSingleton<RoomHub>();
        builder.Services.AddSingleton<SendLimiter>();
        builder.Services.AddHostedService<SocketShutdown>();
        return builder;
    }

    public static IApplicationBuilder UseChatterRealtime(this IApplicationBuilder app) => app.UseWebSockets();

    public static IEndpointRouteBuilder MapChatterRealtime(this IEndpointRouteBuilder endpoints)
    {
        // Authorization is checked inside (403 before upgrade), not by a redirect to the sign-in page.
        endpoints.Map("/rooms/{slug}/ws", RoomSocketEndpoint.HandleAsync);
        return endpoints;
    }
}

/// <summary>On shutdown every socket is closed with 1012, so htmx reconnects (to another instance).</summary>
internal sealed class SocketShutdown(RoomHub hub, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => hub.CloseAll(CloseCodes.ServiceRestart, "server restarting"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

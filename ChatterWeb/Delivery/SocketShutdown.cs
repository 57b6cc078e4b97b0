using Microsoft.Extensions.Options;

namespace ChatterWeb.Delivery;

/// <summary>
/// On SIGTERM: every socket gets 1012 at once (htmx reconnects, through the balancer, to another
/// instance); then the instance keeps listening for <see cref="RealtimeOptions.DrainDelay"/> while
/// /readyz and new upgrades answer 503, so the balancer notices before the port closes.
/// The delay sits in <see cref="StoppingAsync"/>, which the host runs before any hosted service
/// (the web server included) is stopped.
/// </summary>
internal sealed class SocketShutdown(UserSockets sockets, IHostApplicationLifetime lifetime, IOptions<RealtimeOptions> options) : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => sockets.CloseAll(CloseCodes.ServiceRestart, "server restarting"));
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

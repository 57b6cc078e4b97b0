using ChatterWeb.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatterWeb.Infrastructure;

/// <summary>
/// <c>/healthz</c> is liveness only (the process answers). <c>/readyz</c> is readiness: the
/// database (and Redis, when configured) answers, and the instance is not shutting down — so a
/// balancer stops sending new sockets here the moment SIGTERM arrives.
/// </summary>
public static class Health
{
    public const string ReadyTag = "ready";

    public static IHealthChecksBuilder AddChatterHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<NotStoppingCheck>("not-stopping", tags: [ReadyTag])
            .AddCheck<DatabaseCheck>("database", tags: [ReadyTag]);

    public static IEndpointRouteBuilder MapChatterHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return endpoints;
    }

    private sealed class NotStoppingCheck(IHostApplicationLifetime lifetime) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                ? HealthCheckResult.Unhealthy("shutting down")
                : HealthCheckResult.Healthy());
    }

    private sealed class DatabaseCheck(ChatterDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                return await db.Database.CanConnectAsync(timeout.Token)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("database unreachable");
            }
            catch (OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy("database did not answer within 3 s");
            }
        }
    }
}

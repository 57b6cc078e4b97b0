using System.Net;
using OpenTelemetry.Metrics;

namespace ChatterWeb.Metrics;

public static class MetricsExtensions
{
    /// <summary>The instruments always exist; the OpenTelemetry pipeline and exporter only when enabled.</summary>
    public static WebApplicationBuilder AddChatterMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section);
        builder.Services.AddSingleton<ChatterMetrics>();
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (options.Enabled)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(ChatterMetrics.MeterName)
                .AddMeter("System.Runtime") // dotnet.gc.*, dotnet.process.*: the runtime's own (.NET 9+)
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel")
                .AddMeter("Microsoft.AspNetCore.Hosting")
                .AddPrometheusExporter());
        }
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> in Prometheus text format, answered before authentication and routing: only to
    /// loopback callers unless <see cref="MetricsOptions.AllowRemote"/>; everyone else falls through to a 404.
    /// </summary>
    public static IApplicationBuilder UseChatterMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value;
        if (options.Enabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
                context.Request.Path == "/metrics" && (options.AllowRemote || IsLoopback(context.Connection.RemoteIpAddress)));
        }
        return app;
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}

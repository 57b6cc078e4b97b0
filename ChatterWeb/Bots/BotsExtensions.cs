using ChatterWeb.Messages;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace ChatterWeb.Bots;

public static class BotsExtensions
{
    /// <summary>
    /// Bots: their accounts, tokens and outgoing webhooks, made on <c>/admin/bots</c>. A stored message is
    /// heard by <see cref="BotQueue"/> (queued, never waited for) and sent by <see cref="BotDispatcher"/>
    /// through the <see cref="BotCaller.ClientName"/> client, whose pipeline is, outermost first: retries
    /// with exponential backoff and jitter, a circuit breaker per host (scheme, host and port), and the
    /// timeout of one attempt. Redirects are never followed and no cookies are kept.
    /// </summary>
    public static WebApplicationBuilder AddChatterBots(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<BotSecrets>();
        services.AddScoped<BotDirectory>();
        services.AddScoped<BotTokens>();
        services.AddScoped<BotDeliveryLog>();
        services.AddSingleton<BotCaller>();
        services.AddMessageListener<BotQueue>();
        services.AddHostedService<BotDispatcher>();

        services.AddTransient<AttemptCounter>();
        var client = services.AddHttpClient(BotCaller.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // a 3xx is a failure: the allow-list is never left through a redirect
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2), // DNS changes are seen
            });
        client.AddResilienceHandler("bots", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<BotOptions>>().Value;
                if (o.BotRetries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.BotRetries,
                        Delay = o.BotRetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        MaxDelay = TimeSpan.FromSeconds(30),
                        ShouldRetryAfterHeader = false, // a bot's Retry-After of an hour would hold a call slot for an hour
                    });
                }
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = o.BotBreakAfter,
                    SamplingDuration = o.BotBreakSampling,
                    BreakDuration = o.BotBreakDuration,
                });
                pipeline.AddTimeout(o.BotTimeout);
            })
            // One pipeline (so one breaker) per destination: a dead bot host pauses only the bots on it.
            .SelectPipelineBy(_ => request => request.RequestUri!.GetLeftPart(UriPartial.Authority));
        client.AddHttpMessageHandler<AttemptCounter>(); // inside the resilience handler: sees every attempt
        // A bot that fails is the bot's business, and its owner reads it in the delivery log: Polly's own log
        // says so as information, except a breaker that opens (a destination is down), which is a warning.
        services.Configure<TelemetryOptions>(o => o.SeverityProvider = args => args.Event.EventName switch
        {
            "OnCircuitOpened" => ResilienceEventSeverity.Warning,
            _ when args.Event.Severity > ResilienceEventSeverity.Information => ResilienceEventSeverity.Information,
            _ => args.Event.Severity,
        });
        return builder;
    }
}

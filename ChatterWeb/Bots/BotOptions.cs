using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Bots;

/// <summary>
/// Bound from <c>Chatter:Integrations</c> (beside the incoming webhooks' settings): where bots may be
/// called, and how patiently.
/// </summary>
public sealed class BotOptions
{
    public const string Section = "Chatter:Integrations";

    /// <summary>
    /// The hosts a bot's URL may name: <c>bots.example.com</c> (any port), <c>bots.example.com:8443</c>
    /// (that port), <c>*.example.com</c> (its subdomains). Empty (the default): no bot is ever called,
    /// so the server cannot be pointed at the intranet by anyone who makes a bot.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>The address people open ChatterWeb at (<c>https://chat.example.com</c>), for the permalink a bot receives; unset: the permalink is a path.</summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>One attempt's limit, from the request to the reply's last byte.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan BotTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts after the first one when a call times out, cannot connect, or gets 408, 429 or 5xx.</summary>
    [Range(0, 10)]
    public int BotRetries { get; set; } = 2;

    /// <summary>The first retry's delay; each next one doubles it (with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BotRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed calls to one host (within <see cref="BotBreakSampling"/>, at least half of its calls) that open its circuit breaker.</summary>
    [Range(2, 1000)]
    public int BotBreakAfter { get; set; } = 5;

    /// <summary>The window the breaker counts failures in.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BotBreakSampling { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open breaker sends nothing to the host; then one call tries it again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BotBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest reply read; a longer one is not posted.</summary>
    [Range(256, 1024 * 1024)]
    public int BotMaxReplyBytes { get; set; } = 64 * 1024;

    /// <summary>Calls waiting to go out; beyond it a message calls no bot (a warning in the server's log).</summary>
    [Range(1, 1_000_000)]
    public int BotQueueLength { get; set; } = 10_000;

    /// <summary>Calls in flight at once, all bots together (a slow bot holds one of these, never the poster).</summary>
    [Range(1, 1000)]
    public int BotConcurrency { get; set; } = 16;
}

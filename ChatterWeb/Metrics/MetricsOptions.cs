namespace ChatterWeb.Metrics;

/// <summary>Bound from <c>Chatter:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Chatter:Metrics";

    /// <summary>Serve the Prometheus scrape page at <c>/metrics</c>. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Answer scrapes from other machines too. Off: only loopback callers get the page (others get 404);
    /// behind a balancer, scrape each instance directly rather than through it.
    /// </summary>
    public bool AllowRemote { get; set; }
}

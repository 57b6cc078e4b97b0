using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Infrastructure;

/// <summary>Bound from <c>Chatter:Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Chatter:Security";

    /// <summary>
    /// The public site is served over HTTPS (directly or behind a TLS-terminating proxy): cookies
    /// become <c>__Host-</c> prefixed and Secure, HSTS is sent and plain HTTP is redirected.
    /// </summary>
    public bool RequireHttps { get; set; }

    /// <summary>The public https port plain-HTTP requests are redirected to under <see cref="RequireHttps"/> (null: 443).</summary>
    [Range(1, 65535)]
    public int? HttpsPort { get; set; }

    /// <summary>Sign-in and sign-up attempts per client IP per minute (then 429).</summary>
    [Range(1, 10_000_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Proxies (IP addresses) whose X-Forwarded-For/Proto/Host are believed. With neither this nor
    /// <see cref="KnownNetworks"/> set, a proxy on loopback is believed; once set, only these. Behind a load balancer list it here so redirects, cookies and the Origin check
    /// see the public origin.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. "10.0.0.0/8") whose forwarded headers are believed.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

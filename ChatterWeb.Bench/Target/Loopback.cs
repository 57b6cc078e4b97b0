using System.Net;

namespace ChatterWeb.Bench.Target;

/// <summary>
/// The bench only ever loads servers on this machine: every <c>--url</c> must name a loopback
/// address (127.0.0.0/8, [::1] or localhost). Anything else is refused before a byte is sent.
/// </summary>
public static class Loopback
{
    public static bool TryParse(string url, out Uri? uri, out string? error)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
        {
            error = $"'{url}' is not an absolute http:// or https:// URL";
            return false;
        }
        if (!IsLoopbackHost(parsed.Host))
        {
            error = $"'{url}' is not a loopback address: the bench only targets 127.0.0.0/8, [::1] or localhost";
            return false;
        }
        uri = new UriBuilder(parsed.Scheme, parsed.Host, parsed.Port).Uri; // origin only: no path, query or user info
        error = null;
        return true;
    }

    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The browser's <c>Origin</c> for pages served from <paramref name="baseUri"/>.</summary>
    public static string OriginOf(Uri baseUri) => $"{baseUri.Scheme}://{baseUri.Authority}";
}

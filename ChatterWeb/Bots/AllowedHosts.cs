using System.Globalization;

namespace ChatterWeb.Bots;

/// <summary>
/// <c>Chatter:Integrations:AllowedHosts</c>: whether a bot's URL may be called. An entry is a host
/// (<c>bots.example.com</c>, any port), a host and port (<c>bots.example.com:8443</c>, an IPv6 address
/// in brackets), or <c>*.example.com</c> (any subdomain, not the domain itself). Names compare without
/// case; nothing else about the URL is trusted (http or https only, no user info in it).
/// </summary>
public static class AllowedHosts
{
    public static bool Allows(IReadOnlyList<string> entries, Uri url)
    {
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.UserInfo.Length > 0)
            return false;
        var host = url.IdnHost.TrimEnd('.').Trim('[', ']');
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            if (entry.Length == 0)
                continue;
            var (entryHost, entryPort) = Split(entry);
            if (entryPort is { } port && port != url.Port)
                continue;
            if (entryHost.StartsWith("*.", StringComparison.Ordinal)
                ? host.EndsWith(entryHost[1..], StringComparison.OrdinalIgnoreCase) && host.Length > entryHost.Length - 1
                : string.Equals(host, entryHost, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>"host", "host:port", "[::1]:port" → the host (an IPv6 address without its brackets), and the port if one is named.</summary>
    private static (string Host, int? Port) Split(string entry)
    {
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']');
            if (close < 0)
                return (entry, null);
            var host = entry[1..close];
            return entry.Length > close + 2 && entry[close + 1] == ':' && int.TryParse(entry[(close + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p6)
                ? (host, p6) : (host, null);
        }
        var colon = entry.LastIndexOf(':');
        return colon > 0 && int.TryParse(entry[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            ? (entry[..colon].TrimEnd('.'), p) : (entry.TrimEnd('.'), null);
    }
}

namespace ChatterWeb.Delivery;

/// <summary>
/// Cookie-authenticated sockets are open to cross-site hijacking, so the upgrade must come from
/// our own origin (as the browser reports it) or one configured in <c>Chatter:Realtime:AllowedOrigins</c>.
/// A missing Origin is refused: every browser sends one on a WebSocket handshake.
/// </summary>
public static class OriginPolicy
{
    public static bool IsAllowed(HttpRequest request, IReadOnlyCollection<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin) || !Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
            return false;
        var self = $"{request.Scheme}://{request.Host.Value}";
        if (string.Equals(Normalize(originUri), Normalize(self), StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var entry in allowed)
        {
            if (string.Equals(Normalize(originUri), Normalize(entry), StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    private static string Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? Normalize(uri) : origin;

    private static string Normalize(Uri uri) => $"{uri.Scheme}://{uri.Host}:{uri.Port}";
}

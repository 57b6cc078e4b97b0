using System.Net.WebSockets;

namespace ChatterWeb.Delivery;

/// <summary>
/// The close codes ChatterWeb uses, and what htmx-ext-ws 2.0.4 does with each: it reconnects only
/// after 1006, 1011, 1012 and 1013.
/// </summary>
public static class CloseCodes
{
    /// <summary>1008: abuse, flood, revoked access. htmx does not reconnect.</summary>
    public const WebSocketCloseStatus Policy = WebSocketCloseStatus.PolicyViolation;

    /// <summary>1009: an inbound frame above the size limit.</summary>
    public const WebSocketCloseStatus TooBig = WebSocketCloseStatus.MessageTooBig;

    /// <summary>1012: this instance is shutting down. htmx reconnects (to another instance).</summary>
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;

    /// <summary>1013: slow consumer. htmx reconnects and the page resumes from its last seq.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;
}

namespace ChatterWeb.Data;

/// <summary>How one call of a bot's outgoing webhook ended (<see cref="BotDelivery.Outcome"/>).</summary>
public enum BotDeliveryOutcome
{
    /// <summary>The bot answered 2xx with no reply to post.</summary>
    Delivered = 0,

    /// <summary>The bot answered 2xx with <c>{"text": …}</c>, posted as the bot.</summary>
    Replied = 1,

    /// <summary>Every attempt failed (timeout, connection, an error status, a redirect); nothing more is tried.</summary>
    Failed = 2,

    /// <summary>Not sent: the bot's host has been failing and its circuit breaker is open.</summary>
    CircuitOpen = 3,

    /// <summary>Not sent: the URL's host is not on <c>Chatter:Integrations:AllowedHosts</c>.</summary>
    HostNotAllowed = 4,
}

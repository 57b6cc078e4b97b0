namespace ChatterWeb.Delivery;

/// <summary>Who a socket belongs to: all a socket keeps of the session cookie.</summary>
public sealed record SocketUser(string UserId, string DisplayName);

namespace ChatterWeb.Delivery;

/// <summary>
/// <c>GET /me/ws</c>: a socket that carries only the signed-in user's own stream (unread counts,
/// the direct list, notifications), for pages with a sidebar but no room open (<c>/rooms</c>,
/// <c>/direct</c>, the members page). Same checks and limits as a room socket; it is one of the
/// user's sockets, so sign-out, removal and shutdown close it like any other. Frames from the page
/// are read and dropped.
/// </summary>
public static class UserSocketEndpoint
{
    public static async Task HandleAsync(HttpContext http, SocketAdmission admission, SocketHost host)
    {
        if (await admission.CheckAsync(http) is { } user)
            await host.RunAsync(http, user, roomId: null);
    }
}

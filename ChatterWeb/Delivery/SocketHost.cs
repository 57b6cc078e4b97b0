using ChatterWeb.Metrics;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Delivery;

/// <summary>
/// Runs a socket once its endpoint has admitted it (<see cref="SocketAdmission"/>): a place within
/// the caps (<see cref="SocketQuota"/>: 429 for one person, 503 for a full instance), the upgrade,
/// then the <see cref="SocketSession"/> until the socket closes. Holds what every session needs, so
/// a session keeps one reference instead of a field per service.
/// </summary>
public sealed class SocketHost(
    SocketQuota quota,
    RoomSockets rooms,
    UserSockets users,
    SocketFrameHandlers handlers,
    IEnumerable<ISocketObserver> observers,
    ISocketNotices notices,
    ChatterMetrics metrics,
    IOptions<RealtimeOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SocketSession> logger)
{
    internal RoomSockets Rooms => rooms;
    internal UserSockets Users => users;
    internal SocketFrameHandlers Handlers => handlers;
    internal ISocketObserver[] Observers { get; } = [.. observers];
    internal ISocketNotices Notices => notices;
    internal RealtimeOptions Options => options.Value;
    internal ILogger Logger => logger;

    /// <summary>
    /// Upgrades and runs the socket: in <paramref name="roomId"/>'s room (its frames dispatched to the
    /// handlers), or with no room, a per-user socket. <paramref name="prepare"/> sets what the
    /// handlers will find on the session (<see cref="SocketSession.Set{T}"/>) before it starts.
    /// </summary>
    public async Task RunAsync(HttpContext http, SocketUser user, long? roomId, Action<SocketSession>? prepare = null)
    {
        var o = options.Value;
        if (quota.TryReserve(user.UserId, o.MaxSocketsPerUser, o.MaxSocketsPerInstance) is int refusal)
        {
            http.Response.StatusCode = refusal;
            await http.Response.WriteAsync(refusal == StatusCodes.Status429TooManyRequests
                ? "Too many open sockets for this account; close some tabs."
                : "This instance is full; try another.");
            return;
        }
        try
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = o.KeepAliveInterval,
                KeepAliveTimeout = o.KeepAliveTimeout,
            });
            SocketAdmission.DropRequestHeaders(http);
            var connection = new SocketConnection(socket, roomId, user.UserId, user.DisplayName, o, http.Abort, metrics);
            var session = new SocketSession(this, socket, connection, dispatch: roomId is not null);
            prepare?.Invoke(session);
            await session.RunAsync(lifetime.ApplicationStopping);
        }
        finally
        {
            quota.Release(user.UserId);
        }
    }
}

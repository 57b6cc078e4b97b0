using System.Buffers;
using System.Net.WebSockets;
using System.Security.Claims;
using ChatterWeb.Accounts;
using ChatterWeb.Metrics;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Realtime;

/// <summary>
/// <c>GET /me/ws</c>: a socket that carries only the signed-in user's own stream (unread counts,
/// the direct list, notifications), for pages with a sidebar but no room open (<c>/rooms</c>,
/// <c>/direct</c>, the members page). Same checks and limits as a room socket; it sits in the hub
/// under <see cref="NoRoom"/> so sign-out, removal and shutdown close it like any other socket.
/// Frames from the page are read and ignored.
/// </summary>
public static class UserSocketEndpoint
{
    /// <summary>Room ids start at 1: this hub group never gets a room frame.</summary>
    public const long NoRoom = 0;

    public static async Task HandleAsync(HttpContext http)
    {
        if (await SocketAdmission.CheckAsync(http) is not var (userId, displayName, options, _))
            return;
        var services = http.RequestServices;
        var hub = services.GetRequiredService<RoomHub>();
        if (hub.TryReserve(userId, options.MaxSocketsPerUser, options.MaxSocketsPerInstance) is int refusal)
        {
            http.Response.StatusCode = refusal;
            return;
        }
        try
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = options.KeepAliveInterval,
                KeepAliveTimeout = options.KeepAliveTimeout,
            });
            SocketAdmission.DropRequestHeaders(http);
            var connection = new RoomConnection(socket, NoRoom, userId, displayName, options, http.Abort, services.GetRequiredService<ChatterMetrics>());
            await hub.Add(connection);
            var streams = services.GetRequiredService<UserStreams>();
            streams.Add(connection);
            var writer = connection.RunWriterAsync();
            try
            {
                await DrainAsync(socket, connection, options);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
            {
                // the peer vanished; the writer aborts the socket
            }
            finally
            {
                connection.RequestClose(WebSocketCloseStatus.NormalClosure, "");
                hub.Remove(connection);
                streams.Remove(connection);
                await writer;
                connection.Detach();
            }
        }
        finally
        {
            hub.Release(userId);
        }
    }

    /// <summary>
    /// Reads (and drops) what the page sends until it closes; over-long frames close with 1009. Idle,
    /// it waits with a zero-byte read and holds no buffer (as a room socket does).
    /// </summary>
    private static async Task DrainAsync(WebSocket socket, RoomConnection connection, RealtimeOptions options)
    {
        while (connection.RequestedClose is null)
        {
            var probe = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
            if (probe.MessageType == WebSocketMessageType.Close)
                return;
            var buffer = ArrayPool<byte>.Shared.Rent(4096);
            try
            {
                var length = 0;
                for (var result = probe; !result.EndOfMessage; length += result.Count)
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                        return;
                    if (length + result.Count > options.MaxFrameBytes)
                    {
                        connection.RequestClose(CloseCodes.TooBig, $"frames are limited to {options.MaxFrameBytes} bytes");
                        return;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Claims;
using ChatterWeb.Accounts;
using ChatterWeb.Messages;
using ChatterWeb.Metrics;
using ChatterWeb.Presence;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Realtime;

/// <summary>
/// <c>GET /rooms/{slug}/ws</c>: checks the session, the Origin and the room before the upgrade
/// (403 otherwise), then runs one socket: a receive loop (size limit, JSON, dispatch) and the
/// connection's single writer.
/// </summary>
public static partial class RoomSocketEndpoint
{
    public static async Task HandleAsync(HttpContext http, string slug)
    {
        if (await SocketAdmission.CheckAsync(http) is not var (userId, displayName, options, lifetime))
            return;
        var services = http.RequestServices;
        RoomInfo? room;
        // A scope of its own: the request's scope lives as long as the socket, and a DbContext
        // leased there would stay out of the pool (tens of KiB) for hours.
        await using (var lookup = services.CreateAsyncScope())
            room = await lookup.ServiceProvider.GetRequiredService<RoomDirectory>().FindReadableAsync(slug, userId, http.RequestAborted);
        if (room is null)
        {
            await Forbid(http, "No such room, or you cannot read it.");
            return;
        }

        var hub = services.GetRequiredService<RoomHub>();
        if (hub.TryReserve(userId, options.MaxSocketsPerUser, options.MaxSocketsPerInstance) is int refusal)
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
                KeepAliveInterval = options.KeepAliveInterval,
                KeepAliveTimeout = options.KeepAliveTimeout,
            });
            SocketAdmission.DropRequestHeaders(http);
            var session = new RoomSocketSession(socket, room, userId, displayName, options, services, http.Abort);
            await session.RunAsync(lifetime.ApplicationStopping);
        }
        finally
        {
            hub.Release(userId);
        }
    }

    private static Task Forbid(HttpContext http, string why) => SocketAdmission.ForbidAsync(http, why);
}

/// <summary>
/// The checks every socket endpoint makes before anything else (room sockets and <c>/me/ws</c>):
/// an upgrade request (400), the instance not stopping (503), a session (403) from an allowed
/// Origin (403). Null when the response has been written.
/// </summary>
/// <remarks>
/// Socket endpoints are short-circuited after routing (<see cref="RealtimeExtensions.MapSocket"/>):
/// the authentication and authorization middleware do not run for them, because whatever they
/// touch stays reachable for the socket's whole life (the middleware's await frame holds the
/// request's handler provider, the handler caches its result, the authentication service keeps
/// the principal, the request features keep the result): about 3.5 KiB per idle socket. The
/// session cookie is read here instead, in a service scope of its own that ends before the
/// upgrade; only the user id and display name are kept.
/// </remarks>
internal static class SocketAdmission
{
    public static async Task<(string UserId, string DisplayName, RealtimeOptions Options, IHostApplicationLifetime Lifetime)?> CheckAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("WebSocket upgrade expected.");
            return null;
        }
        var services = http.RequestServices;
        var options = services.GetRequiredService<IOptions<RealtimeOptions>>().Value;
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return null;
        }
        var user = await AuthenticateAsync(http);
        var userId = user?.UserId();
        if (user?.Identity?.IsAuthenticated != true || userId is null)
        {
            await ForbidAsync(http, "Sign in first.");
            return null;
        }
        if (!OriginPolicy.IsAllowed(http.Request, options.AllowedOrigins))
        {
            await ForbidAsync(http, "Cross-origin sockets are not allowed.");
            return null;
        }
        return (userId, user.DisplayName(), options, lifetime);
    }

    /// <summary>
    /// The default scheme's answer (the session cookie, with its security-stamp check when due),
    /// computed with a scope of its own as the request's services: the handler, the authentication
    /// service and anything the stamp check resolves are let go when it ends. A renewed or cleared
    /// cookie is still written on the response (the handler registered that with the response).
    /// </summary>
    private static async Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext http)
    {
        var requestServices = http.RequestServices;
        await using var scope = requestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        http.RequestServices = scope.ServiceProvider;
        try
        {
            var result = await http.AuthenticateAsync();
            return result.Succeeded ? result.Principal : null;
        }
        finally
        {
            http.RequestServices = requestServices;
        }
    }

    /// <summary>
    /// After the upgrade: the request stays in progress for the socket's whole life, and with it the
    /// headers it carried. The Cookie header (the session and antiforgery cookies) and the parsed
    /// copy of it were about 4 KiB per idle socket, and a browser's other headers (User-Agent,
    /// Accept-Language, ...) a few hundred bytes more. Nothing reads them after the upgrade (the user
    /// is authenticated, forwarded headers applied, the response started), so all are let go. Each is
    /// removed by name: Kestrel's Clear() keeps the values of known headers for reuse.
    /// </summary>
    public static void DropRequestHeaders(HttpContext http)
    {
        var headers = http.Request.Headers;
        foreach (var name in headers.Keys.ToArray())
            headers.Remove(name);
        http.Features.Set<IRequestCookiesFeature>(null);
        // HttpRequest keeps the parsed cookies it last read until the next read notices the change.
        _ = http.Request.Cookies;
    }

    public static Task ForbidAsync(HttpContext http, string why)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return http.Response.WriteAsync(why);
    }
}

/// <summary>One socket's life: join the hub and presence, read frames until close, leave.</summary>
internal sealed partial class RoomSocketSession(
    WebSocket socket,
    RoomInfo room,
    string userId,
    string displayName,
    RealtimeOptions options,
    IServiceProvider services,
    Action abortTransport)
{
    private readonly RoomHub _hub = services.GetRequiredService<RoomHub>();
    private readonly IPresence _presence = services.GetRequiredService<IPresence>();
    private readonly PresenceBroadcaster _presenceFrames = services.GetRequiredService<PresenceBroadcaster>();
    private readonly ILogger _logger = services.GetRequiredService<ILogger<RoomSocketSession>>();
    private readonly SendLimiter _limiter = services.GetRequiredService<SendLimiter>();
    private readonly RoomConnection _connection = new(socket, room.Id, userId, displayName, options, abortTransport, services.GetRequiredService<ChatterMetrics>());
    private PeopleSession? _people;
    private int _junkFrames;
    private int _rateStrikes;

    public async Task RunAsync(CancellationToken stopping)
    {
        await _hub.Add(_connection);
        _people = new PeopleSession(_connection, room, services);
        _people.Start(); // this user's per-user stream (unread counts, read state, notifications)
        var writer = _connection.RunWriterAsync();
        try
        {
            // Everyone hears of a new arrival; a second tab of someone already here just gets the list.
            if (await _presence.JoinAsync(room.Id, userId, displayName))
                _presenceFrames.Changed(room.Id);
            else
                SendToSelf(PresenceMarkup.RenderFragment(await _presence.InRoomAsync(room.Id)));
            // The receive loop, in this method (one state machine per socket the less): frames are
            // read one at a time. An idle socket holds no receive buffer: it waits with a zero-byte
            // read, and a pooled buffer is rented only while a frame is being read.
            while (_connection.RequestedClose is null)
            {
                var probe = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (probe.MessageType == WebSocketMessageType.Close)
                    return; // the writer answers the close handshake

                var buffer = ArrayPool<byte>.Shared.Rent(options.MaxFrameBytes + 1);
                try
                {
                    var length = 0;
                    var result = probe;
                    while (!result.EndOfMessage)
                    {
                        if (length == buffer.Length)
                            break;
                        result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        length += result.Count;
                        if (result.MessageType == WebSocketMessageType.Close)
                            return;
                    }
                    if (length > options.MaxFrameBytes)
                    {
                        _connection.RequestClose(CloseCodes.TooBig, $"frames are limited to {options.MaxFrameBytes} bytes");
                        return;
                    }
                    if (result.MessageType != WebSocketMessageType.Text)
                    {
                        Junk("binary frames are not understood");
                        continue;
                    }
                    // Parsed straight from the pooled buffer: the frame record holds copies of the few strings it needs.
                    if (!ClientFrame.TryParse(buffer.AsSpan(0, length), out var frame, out var error))
                        Junk(error!);
                    else
                        await DispatchAsync(frame!, stopping);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            // the peer vanished, or never completed a close we asked for (the grace timer aborted the socket)
        }
        catch (Exception e)
        {
            LogSessionFailed(e, room.Id);
            _connection.RequestClose(WebSocketCloseStatus.InternalServerError, "server error");
        }
        finally
        {
            _connection.RequestClose(WebSocketCloseStatus.NormalClosure, "");
            _hub.Remove(_connection);
            _people.Stop();
            if (await _presence.LeaveAsync(room.Id, userId))
                _presenceFrames.Changed(room.Id);
            await writer;
            _connection.Detach();
        }
    }

    private async Task DispatchAsync(ClientFrame frame, CancellationToken stopping)
    {
        switch (frame.Type)
        {
            case ClientFrameType.Message:
                await PostAsync(frame);
                break;
            case ClientFrameType.Resume:
                await ResumeAsync(frame.AfterSeq, frame.AfterChange, stopping);
                break;
            case ClientFrameType.Typing:
                await _people!.TypingAsync();
                break;
            case ClientFrameType.Read:
                _people!.Read(frame.UpToSeq);
                break;
        }
    }

    /// <summary>Tells the sender what was wrong; a socket that keeps sending junk is closed with 1008.</summary>
    private void Junk(string what)
    {
        if (++_junkFrames > options.JunkFrameLimit)
        {
            _connection.RequestClose(CloseCodes.Policy, "too many malformed frames");
            return;
        }
        SendToSelf(ComposerStatus.Error($"That frame was not understood ({what})."));
    }

    private async Task PostAsync(ClientFrame frame)
    {
        if (!_limiter.TryAcquire(userId))
        {
            if (++_rateStrikes > options.RateLimitStrikes)
                _connection.RequestClose(CloseCodes.Policy, "flooding");
            else
                SendToSelf(ComposerStatus.Error("You are sending messages too fast. Wait a moment, then try again."));
            return;
        }

        // Not cancelled by shutdown: a message already read is stored (within PostTimeout, well inside
        // the host's shutdown timeout) rather than failed because a restart began. Its ack may not get
        // out before the 1012 close; the page sends the frame again on its next socket and is acked then.
        using var timeout = new CancellationTokenSource(options.PostTimeout);
        await using var scope = services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<PostMessageHandler>();
        try
        {
            var result = await handler.HandleAsync(new PostMessage(room, userId, displayName, frame.Body, frame.ClientMessageId), timeout.Token);
            SendToSelf(result switch
            {
                PostMessageResult.Stored stored => ComposerStatus.Ack(stored.ClientMessageId),
                PostMessageResult.Rejected rejected => ComposerStatus.Error(rejected.Error),
                _ => throw new UnreachableException(),
            });
        }
        catch (Exception e) when (e is not WebSocketException)
        {
            LogPostFailed(e, room.Id);
            SendToSelf(ComposerStatus.Error("Your message could not be saved. It was not sent; try again."));
        }
    }

    private async Task ResumeAsync(long afterSeq, long? afterChange, CancellationToken stopping)
    {
        await using var scope = services.CreateAsyncScope();
        var history = scope.ServiceProvider.GetRequiredService<MessageHistory>();
        var missed = await history.AfterAsync(room.Id, afterSeq, options.ResumeLimit + 1, stopping);
        if (missed.Count > options.ResumeLimit)
        {
            SendToSelf(ComposerStatus.Reload());
            return;
        }
        if (missed.Count > 0)
            SendToSelf(MessageMarkup.RenderFragment(missed));
        if (afterChange is long since)
        {
            // Edits and deletes the page missed (see Messages/MessageReplay.cs).
            if (await MessageReplay.ChangesAsync(history, room.Id, since, options.ResumeLimit, stopping) is { } changes)
                SendToSelf(changes);
            else
                SendToSelf(ComposerStatus.Reload());
        }
    }

    /// <summary>To this socket only, after whatever the room has already released (an ack follows its message).</summary>
    private void SendToSelf(byte[] frame) => _hub.SendAfterReleased(_connection, frame);


    [LoggerMessage(Level = LogLevel.Error, Message = "Socket session in room {RoomId} failed")]
    private partial void LogSessionFailed(Exception e, long roomId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message to room {RoomId} could not be stored")]
    private partial void LogPostFailed(Exception e, long roomId);
}

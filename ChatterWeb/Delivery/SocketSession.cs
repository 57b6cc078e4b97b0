using System.Buffers;
using System.Net.WebSockets;

namespace ChatterWeb.Delivery;

/// <summary>
/// One socket's life: it joins its user's stream and its room (if any), tells the observers, reads
/// frames one at a time until the socket closes (size limit, JSON, dispatch by type to the handler
/// a feature registered), then leaves. A per-user socket (<c>/me/ws</c>) reads and drops what the
/// page sends. Handlers keep per-socket state in <see cref="Feature{T}"/>.
/// </summary>
public sealed partial class SocketSession
{
    private readonly SocketHost _host;
    private readonly WebSocket _socket;
    private readonly bool _dispatch;
    private object[]? _features;
    private int _junkFrames;

    internal SocketSession(SocketHost host, WebSocket socket, SocketConnection connection, bool dispatch)
    {
        _host = host;
        _socket = socket;
        _dispatch = dispatch;
        Connection = connection;
    }

    public SocketConnection Connection { get; }
    public string UserId => Connection.UserId;
    public string DisplayName => Connection.DisplayName;

    /// <summary>The room this socket is open in; null for a per-user socket.</summary>
    public long? RoomId => Connection.RoomId;

    /// <summary>
    /// This socket's instance of <typeparamref name="T"/> (created on first use): state a feature keeps
    /// per socket (the last typing signal, the read position, the room as the feature sees it).
    /// </summary>
    public T Feature<T>() where T : class, new()
    {
        if (Find<T>() is { } found)
            return found;
        var created = new T();
        Set(created);
        return created;
    }

    /// <summary>This socket's <typeparamref name="T"/>, set by whoever opened it; null when none was set.</summary>
    public T? Find<T>() where T : class
    {
        foreach (var feature in _features ?? [])
        {
            if (feature is T match)
                return match;
        }
        return null;
    }

    public void Set<T>(T feature) where T : class
    {
        var features = _features ?? [];
        var at = Array.FindIndex(features, f => f is T);
        if (at >= 0)
            features[at] = feature;
        else
            _features = [.. features, feature];
    }

    /// <summary>To this socket only, after whatever its room has already released (an ack follows its message).</summary>
    public void SendToSelf(ReadOnlyMemory<byte> frame) => _host.Rooms.SendAfterReleased(Connection, frame);

    /// <summary>Closes the socket with <paramref name="status"/> once what is queued has gone out.</summary>
    public void Close(WebSocketCloseStatus status, string reason) => Connection.RequestClose(status, reason);

    /// <summary>Tells the sender a frame was not understood; a socket that keeps sending junk is closed with 1008.</summary>
    public void NotUnderstood(string what)
    {
        if (++_junkFrames > _host.Options.JunkFrameLimit)
        {
            Close(CloseCodes.Policy, "too many malformed frames");
            return;
        }
        SendToSelf(_host.Notices.NotUnderstood(what));
    }

    internal async Task RunAsync(CancellationToken stopping)
    {
        var options = _host.Options;
        _host.Users.Add(Connection);
        if (RoomId is not null)
            await _host.Rooms.Add(Connection);
        var writer = Connection.RunWriterAsync();
        try
        {
            foreach (var observer in _host.Observers)
                await observer.OpenedAsync(this);
            // The receive loop, in this method (one state machine per socket the less): frames are
            // read one at a time. An idle socket holds no receive buffer: it waits with a zero-byte
            // read, and a pooled buffer is rented only while a frame is being read.
            while (Connection.RequestedClose is null)
            {
                var probe = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
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
                        result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        length += result.Count;
                        if (result.MessageType == WebSocketMessageType.Close)
                            return;
                    }
                    if (length > options.MaxFrameBytes)
                    {
                        Close(CloseCodes.TooBig, $"frames are limited to {options.MaxFrameBytes} bytes");
                        return;
                    }
                    if (!_dispatch)
                        continue; // a per-user socket: the page has nothing to say on it
                    if (result.MessageType != WebSocketMessageType.Text)
                        NotUnderstood("binary frames are not understood");
                    else if (!ClientFrame.TryParse(buffer.AsSpan(0, length), out var frame, out var error))
                        NotUnderstood(error!);
                    else if (!_host.Handlers.TryGet(frame!.Type, out var handler))
                        NotUnderstood("unknown frame type");
                    else
                        await handler.HandleAsync(this, frame, stopping);
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
            LogSessionFailed(_host.Logger, e, RoomId);
            Close(WebSocketCloseStatus.InternalServerError, "server error");
        }
        finally
        {
            Connection.RequestClose(WebSocketCloseStatus.NormalClosure, "");
            _host.Rooms.Remove(Connection);
            _host.Users.Remove(Connection);
            foreach (var observer in _host.Observers)
            {
                try
                {
                    await observer.ClosedAsync(this);
                }
                catch (Exception e)
                {
                    LogSessionFailed(_host.Logger, e, RoomId);
                }
            }
            await writer;
            Connection.Detach();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Socket session in room {RoomId} failed")]
    private static partial void LogSessionFailed(ILogger logger, Exception e, long? roomId);
}

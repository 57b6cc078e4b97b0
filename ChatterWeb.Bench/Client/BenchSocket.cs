using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace ChatterWeb.Bench.Client;

/// <summary>Gets every complete inbound frame of a socket, on that socket's receive loop.</summary>
public interface IFrameSink
{
    /// <param name="receivedAt">Stopwatch timestamp taken when the frame's last byte was read.</param>
    void OnFrame(BenchSocket socket, ReadOnlySpan<byte> frame, long receivedAt);

    void OnClosed(BenchSocket socket, WebSocketCloseStatus? status, Exception? error);
}

/// <summary>
/// A room socket opened the way htmx-ext-ws opens it from a page: <c>ws://host/rooms/{slug}/ws</c> with
/// the session cookie and the page's Origin. Sends go through a small queue drained by one writer
/// (a ClientWebSocket allows one send at a time); a receive loop hands whole frames to the sink.
/// </summary>
public sealed class BenchSocket : IAsyncDisposable
{
    private const int InitialBuffer = 4096;

    private readonly ClientWebSocket _ws;
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _receiver;
    private Task? _sender;
    private volatile IFrameSink _sink;

    private BenchSocket(ClientWebSocket ws, int index, IFrameSink sink)
    {
        _ws = ws;
        Index = index;
        _sink = sink;
    }

    /// <summary>The bench's own number for this socket.</summary>
    public int Index { get; }

    /// <summary>Scenario state hung on the socket (e.g. its seq tracker).</summary>
    public object? State { get; set; }

    public WebSocketState WebSocketState => _ws.State;
    public long FramesReceived;
    public long BytesReceived;

    /// <summary>Frames and WebSocket payload bytes read so far by all of <paramref name="sockets"/> (null: never connected).</summary>
    public static (long Frames, long Bytes) Received(IEnumerable<BenchSocket?> sockets)
    {
        long frames = 0, bytes = 0;
        foreach (var s in sockets)
        {
            if (s is null)
                continue;
            frames += Volatile.Read(ref s.FramesReceived);
            bytes += Volatile.Read(ref s.BytesReceived);
        }
        return (frames, bytes);
    }

    public IFrameSink Sink
    {
        get => _sink;
        set => _sink = value;
    }

    public static Uri SocketUri(Uri baseUri, string slug) =>
        new UriBuilder(baseUri) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws", Path = $"/rooms/{slug}/ws" }.Uri;

    /// <summary>Connects (throws <see cref="WebSocketException"/> or a timeout) and starts the receive loop.</summary>
    public static async Task<BenchSocket> ConnectAsync(int index, Uri baseUri, string slug, CookieContainer cookies, IFrameSink sink, TimeSpan timeout, CancellationToken ct)
    {
        var ws = new ClientWebSocket();
        ws.Options.Cookies = cookies;
        ws.Options.SetRequestHeader("Origin", Target.Loopback.OriginOf(baseUri));
        ws.Options.SetRequestHeader("User-Agent", "ChatterWeb.Bench");
        // Keep-alive is the server's job (it pings); the client answers pongs automatically.
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await ws.ConnectAsync(SocketUri(baseUri, slug), cts.Token);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
        var socket = new BenchSocket(ws, index, sink);
        socket._receiver = Task.Run(socket.ReceiveLoopAsync, CancellationToken.None);
        return socket;
    }

    /// <summary>Queues a text frame; never waits for the network.</summary>
    public void Send(byte[] utf8)
    {
        _sender ??= Task.Run(SendLoopAsync);
        _outbox.Writer.TryWrite(utf8);
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var frame))
                    await _ws.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // the receive loop reports the close
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var own = new byte[InitialBuffer];
        var buffer = own;
        WebSocketCloseStatus? status = null;
        Exception? error = null;
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                        buffer = Grow(buffer, own, length); // presence lists and catch-ups can be big
                    result = await _ws.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    status = _ws.CloseStatus;
                    if (_ws.State == WebSocketState.CloseReceived)
                        await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }
                var receivedAt = Stopwatch.GetTimestamp();
                FramesReceived++;
                BytesReceived += length;
                _sink.OnFrame(this, buffer.AsSpan(0, length), receivedAt);
                if (buffer != own)
                {
                    ArrayPool<byte>.Shared.Return(buffer); // a big frame's buffer goes back to the pool, not kept for the socket's life
                    buffer = own;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            error = e;
            status = _ws.CloseStatus;
        }
        finally
        {
            _outbox.Writer.TryComplete();
        }
        if (buffer != own)
            ArrayPool<byte>.Shared.Return(buffer);
        _sink.OnClosed(this, status, error);
    }

    /// <summary>A buffer twice the size from the shared pool (thousands of sockets reading big frames share a few), holding what was read so far.</summary>
    private static byte[] Grow(byte[] buffer, byte[] own, int length)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, length).CopyTo(bigger);
        if (buffer != own)
            ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    /// <summary>Closes cleanly (1000), as a browser does when the tab goes away.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        _outbox.Writer.TryComplete();
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(timeout);
                await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bench done", cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _ws.Abort();
        }
        if (_receiver is not null)
            await Task.WhenAny(_receiver, Task.Delay(timeout));
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(TimeSpan.FromSeconds(5));
        _ws.Dispose();
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// A raw WebSocket client that behaves like htmx-ext-ws: cookie auth, an Origin header, JSON
/// frames of form fields plus HEADERS. A background loop collects every inbound frame.
/// </summary>
public sealed class TestSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _ws;
    private readonly Channel<string> _inbox = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task _pump;
    private int _messages;

    private TestSocket(ClientWebSocket ws)
    {
        _ws = ws;
        _pump = PumpAsync();
    }

    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    public WebSocketState State => _ws.State;
    public WebSocketCloseStatus? CloseStatus => _ws.CloseStatus;
    public string? CloseDescription => _ws.CloseStatusDescription;
    public Task Completion => _pump;

    public static async Task<TestSocket> ConnectAsync(ChatterServer server, string slug, CookieContainer? cookies, string? origin) =>
        new(await ConnectRawAsync(server.BaseUri, slug, cookies, origin));

    public static async Task<TestSocket> ConnectAsync(Uri baseUri, string slug, CookieContainer? cookies) =>
        new(await ConnectRawAsync(baseUri, slug, cookies, $"{baseUri.Scheme}://{baseUri.Authority}"));

    public static Task<ClientWebSocket> ConnectRawAsync(ChatterServer server, string slug, CookieContainer? cookies, string? origin, TimeSpan? clientKeepAlive = null, int? receiveBuffer = null) =>
        ConnectRawAsync(server.BaseUri, slug, cookies, origin, clientKeepAlive, receiveBuffer);

    /// <summary>
    /// A socket nobody reads from: no pump, no automatic keep-alive answers. With
    /// <paramref name="receiveBuffer"/> the kernel's receive window is pinned small (no autotuning),
    /// so a reader that stops reading backs up into the server quickly.
    /// </summary>
    public static async Task<ClientWebSocket> ConnectRawAsync(Uri baseUri, string slug, CookieContainer? cookies, string? origin, TimeSpan? clientKeepAlive = null, int? receiveBuffer = null)
    {
        var ws = new ClientWebSocket();
        if (clientKeepAlive is { } keepAlive)
            ws.Options.KeepAliveInterval = keepAlive;
        HttpMessageInvoker? invoker = null;
        if (receiveBuffer is int size)
        {
            invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                CookieContainer = cookies ?? new CookieContainer(),
                ConnectCallback = async (context, ct) =>
                {
                    var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = size };
                    await s.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
                },
            });
        }
        else if (cookies is not null)
            ws.Options.Cookies = cookies;
        if (origin is not null)
            ws.Options.SetRequestHeader("Origin", origin);
        ws.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(baseUri) { Scheme = "ws", Path = $"/rooms/{slug}/ws" }.Uri;
        try
        {
            await ws.ConnectAsync(uri, invoker, new CancellationTokenSource(DefaultWait).Token);
        }
        catch (WebSocketException e)
        {
            throw new UpgradeRefusedException((HttpStatusCode)ws.HttpStatusCode, e, ws.HttpResponseHeaders);
        }
        return ws;
    }

    /// <summary>A socket to any path (e.g. <c>/me/ws</c>), with cookies and an Origin header like a page's.</summary>
    public static async Task<TestSocket> ConnectPathAsync(Uri baseUri, string path, CookieContainer? cookies, string? origin)
    {
        var ws = new ClientWebSocket();
        if (cookies is not null)
            ws.Options.Cookies = cookies;
        if (origin is not null)
            ws.Options.SetRequestHeader("Origin", origin);
        ws.Options.CollectHttpResponseDetails = true;
        try
        {
            await ws.ConnectAsync(new UriBuilder(baseUri) { Scheme = "ws", Path = path }.Uri, new CancellationTokenSource(DefaultWait).Token);
        }
        catch (WebSocketException e)
        {
            throw new UpgradeRefusedException((HttpStatusCode)ws.HttpStatusCode, e, ws.HttpResponseHeaders);
        }
        return new TestSocket(ws);
    }

    /// <summary>The upgrade's (101) response headers.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> UpgradeHeaders => _ws.HttpResponseHeaders ?? new Dictionary<string, IEnumerable<string>>();

    /// <summary>Sends a message frame exactly as htmx-ext-ws serialises the composer form.</summary>
    public Task SendMessageAsync(string body, string? clientMessageId = null) =>
        SendJsonAsync(new Dictionary<string, object?>
        {
            ["type"] = "message",
            ["clientMessageId"] = clientMessageId ?? Guid.NewGuid().ToString(),
            ["body"] = body,
            ["HEADERS"] = new Dictionary<string, string?> { ["HX-Request"] = "true", ["HX-Trigger"] = "composer", ["HX-Current-URL"] = "http://evil.example/" },
        });

    public Task SendJsonAsync(object value) => SendTextAsync(JsonSerializer.Serialize(value));

    public Task SendTextAsync(string text) =>
        _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text) =>
        _ws.SendAsync(bytes, type, true, CancellationToken.None);

    /// <summary>Waits for the next inbound frame matching <paramref name="match"/>; frames before it are kept in <see cref="Seen"/>.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultWait);
        try
        {
            while (true)
            {
                var frame = await _inbox.Reader.ReadAsync(cts.Token);
                if (match(frame))
                    return frame;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"no matching frame within {(timeout ?? DefaultWait).TotalSeconds}s; socket {_ws.State} {_ws.CloseStatus}; seen:\n{string.Join("\n", Seen.TakeLast(5).Select(f => f.Length > 300 ? f[..300] + "…" : f))}");
        }
    }

    /// <summary>Waits until the people list this socket's page would show matches (see <see cref="PresenceView"/>).</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForPresenceAsync(Func<IReadOnlyDictionary<string, string>, bool> match, TimeSpan? timeout = null)
    {
        var now = PresenceView.Of(Seen);
        if (match(now))
            return now;
        await WaitForAsync(f => PresenceView.IsPresence(f) && match(PresenceView.Of(Seen)), timeout);
        return PresenceView.Of(Seen);
    }

    public Task<string> WaitForMessageAsync(string text) =>
        WaitForAsync(f => f.Contains("<article") && f.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text)));

    /// <summary>WebSocket messages received (each may carry several fragments).</summary>
    public int MessagesReceived => Volatile.Read(ref _messages);

    /// <summary>Every frame (top-level fragment) received so far, in arrival order.</summary>
    public IReadOnlyList<string> Seen
    {
        get { lock (_seen) return [.. _seen]; }
    }

    /// <summary>Waits for the server to close the socket and returns its close code.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await _pump.WaitAsync(timeout ?? DefaultWait);
        return _ws.CloseStatus;
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var ms = new MemoryStream();
                WebSocketReceiveResult r;
                do
                {
                    r = await _ws.ReceiveAsync(buffer, CancellationToken.None);
                    ms.Write(buffer, 0, r.Count);
                }
                while (!r.EndOfMessage);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    if (_ws.State == WebSocketState.CloseReceived)
                        await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    break;
                }
                Interlocked.Increment(ref _messages);
                // One "frame" per top-level element, as htmx swaps them (the server may send several in one message).
                foreach (var text in Fragments.Split(Encoding.UTF8.GetString(ms.ToArray())))
                {
                    lock (_seen) _seen.Add(text);
                    _inbox.Writer.TryWrite(text);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // aborted (an abort can surface as OperationCanceledException("Aborted")): CloseStatus stays null
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_ws.State == WebSocketState.Open)
                await _ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", new CancellationTokenSource(2000).Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        try { await _pump.WaitAsync(TimeSpan.FromSeconds(3)); } catch (TimeoutException) { }
        _ws.Dispose();
    }
}

public sealed class UpgradeRefusedException(HttpStatusCode status, Exception inner, IReadOnlyDictionary<string, IEnumerable<string>>? headers = null)
    : Exception($"upgrade refused with {(int)status}", inner)
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The refusal's response headers.</summary>
    public IReadOnlyDictionary<string, IEnumerable<string>> Headers { get; } = headers ?? new Dictionary<string, IEnumerable<string>>();
}

using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;

// A raw Kestrel broadcast server: what ChatterWeb's fan-out is measured beside (docs/BENCHMARKS.md).
// GET /rooms/{slug}/ws upgrades without any sign-in; a {"type":"message","clientMessageId","body"}
// frame gets the room's next seq and goes, as one HTML fragment rendered once, into every member's
// bounded channel; each socket's own writer sends its channel's frames one WebSocket message each.
// The sender then gets an acknowledgement fragment. A socket whose channel is full is closed (1013).
// Peer:FragmentBytes (Peer__FragmentBytes) pads each message fragment to at least that many bytes, so
// the peer can be measured sending as many bytes per delivery as ChatterWeb (fanout --peer-fragment-bytes).
// Peer:IOQueueCount sets Kestrel's I/O queues (its default: one per core), to measure it with ChatterWeb's.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (builder.Configuration.GetValue<int?>("Peer:IOQueueCount") is int queues)
    builder.WebHost.UseSockets(transport => transport.IOQueueCount = queues);
var app = builder.Build();
app.UseWebSockets();

var fragmentBytes = app.Configuration.GetValue("Peer:FragmentBytes", 0);
var rooms = new ConcurrentDictionary<string, Room>();
app.MapGet("/healthz", () => "ok");
app.Map("/rooms/{slug}/ws", async (HttpContext context, string slug) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
        return Results.BadRequest();
    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var member = new Member(socket);
    var room = rooms.GetOrAdd(slug, _ => new Room(fragmentBytes));
    room.Join(member);
    var writer = member.WriteAllAsync();
    try
    {
        await ReadAllAsync(socket, room, member);
    }
    finally
    {
        room.Leave(member);
        member.Outbox.Writer.TryComplete();
        await writer;
    }
    return Results.Empty;
});
app.Run();

static async Task ReadAllAsync(WebSocket socket, Room room, Member member)
{
    var buffer = new byte[16 * 1024];
    try
    {
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                    return; // bigger than any composer frame: drop the socket
                result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return;
            }
            if (Post.TryRead(buffer.AsSpan(0, length), out var post))
                room.Broadcast(post, member);
        }
    }
    catch (Exception e) when (e is WebSocketException or OperationCanceledException)
    {
        // the client went away
    }
}

sealed class Member(WebSocket socket)
{
    public readonly Channel<byte[]> Outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(4096) { SingleReader = true });

    public void Offer(byte[] frame)
    {
        if (!Outbox.Writer.TryWrite(frame) && Outbox.Writer.TryComplete())
            _ = socket.CloseOutputAsync((WebSocketCloseStatus)1013, "slow consumer", CancellationToken.None);
    }

    public async Task WriteAllAsync()
    {
        try
        {
            await foreach (var frame in Outbox.Reader.ReadAllAsync())
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // closed underneath the writer
        }
    }
}

sealed class Room(int fragmentBytes)
{
    private readonly Lock _gate = new();
    private Member[] _members = [];
    private long _seq;

    public void Join(Member member)
    {
        lock (_gate)
            _members = [.. _members, member];
    }

    public void Leave(Member member)
    {
        lock (_gate)
            _members = Array.FindAll(_members, m => !ReferenceEquals(m, member));
    }

    private static string Fragment(long seq, string encodedBody, string padding) =>
        $"<div id=\"messages\" hx-swap-oob=\"beforeend\"><article class=\"msg\" id=\"m-{seq}\" data-seq=\"{seq}\">{padding}<div class=\"body\">{encodedBody}</div></article></div>";

    /// <summary>The message's fragment, padded (before its body) to at least Peer:FragmentBytes bytes; encoded to UTF-8 once.</summary>
    private byte[] Render(long seq, string body)
    {
        var encoded = HtmlEncoder.Default.Encode(body);
        var fragment = Fragment(seq, encoded, "");
        const string open = "<span class=\"pad\">", close = "</span>";
        var missing = fragmentBytes - Encoding.UTF8.GetByteCount(fragment) - open.Length - close.Length;
        if (missing > 0)
            fragment = Fragment(seq, encoded, open + new string('x', missing) + close);
        return Encoding.UTF8.GetBytes(fragment);
    }

    /// <summary>Seq, render once, enqueue for every member; under the room's lock, so every socket gets the room's seqs in order.</summary>
    public void Broadcast(Post post, Member sender)
    {
        lock (_gate)
        {
            var seq = ++_seq;
            var fragment = Render(seq, post.Body);
            foreach (var member in _members)
                member.Offer(fragment);
            sender.Offer(Encoding.UTF8.GetBytes($"<div id=\"composer-status\" hx-swap-oob=\"true\" data-ack=\"{post.ClientMessageId}\"></div>"));
        }
    }
}

readonly record struct Post(Guid ClientMessageId, string Body)
{
    /// <summary>A composer frame as htmx-ext-ws sends it; anything else (read marks, junk) is not a post.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out Post post)
    {
        post = default;
        string? type = null, body = null;
        Guid id = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "type" when reader.TokenType == JsonTokenType.String: type = reader.GetString(); break;
                    case "body" when reader.TokenType == JsonTokenType.String: body = reader.GetString(); break;
                    case "clientMessageId" when reader.TokenType == JsonTokenType.String: reader.TryGetGuid(out id); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (type != "message" || body is null)
            return false;
        post = new Post(id, body);
        return true;
    }
}

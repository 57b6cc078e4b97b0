using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>Limits out of the way, so the fuzzer reaches the parser and handlers instead of the 1008 guard.</summary>
public sealed class FuzzServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Realtime:JunkFrameLimit", "1000000"),
        new("Chatter:Realtime:MessageBurst", "1000000"),
        new("Chatter:Realtime:MessagesPerSecond", "1000000"),
    ];
}

public class FuzzTests(FuzzServer server) : IClassFixture<FuzzServer>
{
    private static readonly string[] Seeds =
    [
        """{"type":"message","body":"hello","clientMessageId":"0b6f8f6e-2f0e-4c4e-9d7e-3f2b1a0c9d8e","HEADERS":{"HX-Request":"true","HX-Trigger":"composer"}}""",
        """{"type":"resume","afterSeq":3}""",
        """{"type":"typing","HEADERS":{}}""",
        """{"type":"message","body":["a","b"],"clientMessageId":["x","y"]}""",
        """{"type":"resume","afterSeq":"12"}""",
        """{"headers":{"hx-request":"true"},"type":"message","body":"htmx 4 style"}""",
    ];

    private static string Mutate(Random rng, string seed)
    {
        var chars = seed.ToCharArray().ToList();
        var edits = rng.Next(1, 6);
        for (var e = 0; e < edits && chars.Count > 0; e++)
        {
            var at = rng.Next(chars.Count);
            switch (rng.Next(6))
            {
                case 0: chars.RemoveAt(at); break;
                case 1: chars.Insert(at, (char)rng.Next(0, 0x3000)); break;
                case 2: chars[at] = "{}[]\":,\\0-9eE+ntfu"[rng.Next(18)]; break;
                case 3: chars.InsertRange(at, chars.GetRange(at, Math.Min(chars.Count - at, rng.Next(1, 40)))); break;
                case 4: chars.RemoveRange(at, chars.Count - at); break;
                default: chars.Insert(at, '\uD800'); break; // a lone surrogate
            }
        }
        return new string(chars.ToArray());
    }

    private static byte[] RandomFrame(Random rng)
    {
        switch (rng.Next(10))
        {
            case 0: // random bytes (often invalid UTF-8)
                var bytes = new byte[rng.Next(0, 300)];
                rng.NextBytes(bytes);
                return bytes;
            case 1: // deep nesting
                var depth = rng.Next(1, 200);
                return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
            case 2: // huge numbers and odd values
                return Encoding.UTF8.GetBytes($$"""{"type":"resume","afterSeq":{{(rng.Next(2) == 0 ? "1e309" : "99999999999999999999999")}}}""");
            case 3: // a valid message with a hostile body
                return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "message", body = "<script>" + new string('x', rng.Next(0, 5000)), clientMessageId = Guid.NewGuid().ToString() }));
            default:
                return Encoding.UTF8.GetBytes(Mutate(rng, Seeds[rng.Next(Seeds.Length)]));
        }
    }

    [Fact]
    public async Task Thousands_of_random_and_mutated_frames_crash_nothing_and_the_room_keeps_talking()
    {
        var fuzzer = await server.SignUpAsync("Fuzzer");
        var bystander = await server.SignUpAsync("Bystander");
        var talker = await server.SignUpAsync("Talker");
        await using var watch = await bystander.JoinAsync("general");

        var rng = new Random(20261123);
        var socket = await fuzzer.JoinAsync("general");
        var reconnects = 0;
        for (var i = 0; i < 3000; i++)
        {
            if (socket.State != WebSocketState.Open)
            {
                await socket.DisposeAsync();
                socket = await fuzzer.JoinAsync("general");
                reconnects++;
            }
            try
            {
                await socket.SendBytesAsync(RandomFrame(rng), rng.Next(20) == 0 ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // closed by the server (1007 for invalid UTF-8, 1009 for size): reconnect and go on
            }
        }
        await socket.DisposeAsync();

        // The process is healthy, nothing was logged as an error, and the room still works.
        Assert.Equal(HttpStatusCode.OK, (await server.NewBrowser().GetAsync("/healthz")).StatusCode);
        await using var t = await talker.JoinAsync("general");
        await t.SendMessageAsync("still here after the storm");
        await watch.WaitForMessageAsync("still here after the storm");
        Assert.Equal(WebSocketState.Open, watch.State);
        Assert.True(server.Errors.Entries.Count == 0, string.Join("\n", server.Errors.Entries.Take(5)));
        Assert.True(reconnects < 3000);
    }
}

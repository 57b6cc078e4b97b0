using ChatterWeb.Delivery;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Delivery;

/// <summary>Small send queues, so a slow reader shows up in seconds (keep-alive stays at its default).</summary>
public sealed class SmallQueueServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        // Room for a reader that keeps up even on a loaded machine; far too little for one that stopped.
        new("Chatter:Realtime:SendQueueFrames", "256"),
        new("Chatter:Realtime:SendQueueBytes", "524288"),
    ];
}

/// <summary>A one-second keep-alive, so a vanished peer shows up in seconds.</summary>
public sealed class FastKeepAliveServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Realtime:KeepAliveInterval", "00:00:01"),
        new("Chatter:Realtime:KeepAliveTimeout", "00:00:01"),
    ];
}

public class DeadPeerTests(FastKeepAliveServer server) : IClassFixture<FastKeepAliveServer>
{
    private RoomSockets Rooms => server.Services.GetRequiredService<RoomSockets>();
    private SocketQuota Quota => server.Services.GetRequiredService<SocketQuota>();

    [Fact]
    public async Task A_peer_that_vanishes_is_dropped_by_the_keep_alive_and_counts_return()
    {
        var ghost = await server.SignUpAsync("Ghost");
        var before = Quota.ConnectionCount;
        // A client that never reads never answers pings: to the server it is a dead peer.
        using var vanished = await TestSocket.ConnectRawAsync(server, "general", ghost.Cookies, server.Origin, TimeSpan.Zero);
        await SlowClientTests.WaitUntilAsync(() => Quota.ConnectionCount == before + 1, "socket registered");

        await SlowClientTests.WaitUntilAsync(() => Quota.ConnectionCount == before, "dead peer dropped", seconds: 10);
        Assert.DoesNotContain(Rooms.InRoom(await server.RoomIdAsync("general")), c => c.UserId == ghost.Id);
    }

    [Fact]
    public async Task A_live_peer_that_answers_pings_stays_connected()
    {
        var alive = await server.SignUpAsync("Alive");
        var ghost = await server.SignUpAsync("Ghost beside it");
        var general = await server.RoomIdAsync("general");
        await using var socket = await alive.JoinAsync("general"); // the pump reads, so pongs go back
        // A barrier: a peer that never answers, connected after this one, is dropped by the keep-alive;
        // had the keep-alive taken this one for dead too, it would have gone first.
        using var vanished = await TestSocket.ConnectRawAsync(server, "general", ghost.Cookies, server.Origin, TimeSpan.Zero);
        await SlowClientTests.WaitUntilAsync(() => Rooms.InRoom(general).Any(c => c.UserId == ghost.Id), "the silent peer registered");
        await SlowClientTests.WaitUntilAsync(() => !Rooms.InRoom(general).Any(c => c.UserId == ghost.Id), "the silent peer dropped", seconds: 10);

        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
        Assert.Contains(Rooms.InRoom(general), c => c.UserId == alive.Id);
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync("still here", id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
    }
}

public class SlowClientTests(SmallQueueServer server) : IClassFixture<SmallQueueServer>
{
    private RoomSockets Rooms => server.Services.GetRequiredService<RoomSockets>();

    private async Task PostDirectAsync(RoomInfo room, TestUser author, string body)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<PostMessageHandler>()
            .HandleAsync(new PostMessage(room, author.Id, author.DisplayName, body, Guid.NewGuid().ToString()));
        Assert.IsType<PostMessageResult.Stored>(result);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for: {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_with_1013_and_never_slows_the_room()
    {
        var slow = await server.SignUpAsync("Slow");
        var fast = await server.SignUpAsync("Fast");
        var author = await server.SignUpAsync("Author");
        var slug = "slow-" + Guid.NewGuid().ToString("N")[..6];
        var room = await server.WithDbAsync(async db => await new RoomDirectory(db, TimeProvider.System).CreateOpenAsync(slug, author.Id));

        await using var reader = await fast.JoinAsync(room.Slug);
        using var sleeper = await TestSocket.ConnectRawAsync(server, room.Slug, slow.Cookies, server.Origin, TimeSpan.Zero, receiveBuffer: 4096); // never reads
        await WaitUntilAsync(() => Rooms.InRoom(room.Id).Count == 2, "both sockets registered");
        var slowConnection = Rooms.InRoom(room.Id).Single(c => c.UserId == slow.Id);

        const int count = 2000; // ~9 MB: more than the queue (512 KiB), the sleeper's pinned window and the server's send buffer (4 MiB max here)
        var body = new string('z', 3900);
        for (var i = 0; i < count; i++)
        {
            await PostDirectAsync(room, author, $"{i} {body}");
            // The reader keeps up by definition: it has seen each batch before the next is posted, so
            // its queue never holds more than 50 frames; the sleeper's grows until it is shed.
            if (i % 50 == 49)
                await reader.WaitForAsync(f => f.Contains($">{i} zzz"), TimeSpan.FromSeconds(30));
        }

        await WaitUntilAsync(() => Rooms.InRoom(room.Id).Count == 1, $"the slow socket removed from the room (close requested: {slowConnection.RequestedClose}, queued {slowConnection.QueuedFrames})", seconds: 45);
        Assert.Equal(CloseCodes.TryAgainLater, slowConnection.RequestedClose);

        // the reader got every message, in order, while the other socket was being shed
        // (the batch waits above already saw the last message, seq {count})
        var seqs = reader.Seen.Where(f => f.Contains("<article")).Select(f => System.Text.RegularExpressions.Regex.Match(f, "id=\"m-(\\d+)\"").Groups[1].Value).Select(long.Parse).ToList();
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), seqs);
    }
}

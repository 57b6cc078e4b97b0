using System.Diagnostics;
using System.Text.RegularExpressions;
using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>Within a room every socket receives messages in seq order, whatever order they were published in.</summary>
public class OrderingTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    /// <summary>Every message on the socket in arrival order (a frame may hold several: the pump joins what waited).</summary>
    private static List<long> Seqs(TestSocket socket) =>
        socket.Seen.SelectMany(f => Regex.Matches(f, "<article[^>]* id=\"m-(\\d+)\"")).Select(m => long.Parse(m.Groups[1].Value)).ToList();

    [Fact]
    public async Task Frames_published_out_of_order_reach_sockets_in_seq_order_and_a_gap_that_never_fills_holds_them_only_briefly()
    {
        var (roomId, socket, hub) = await server.RoomWithOneSocketAsync("Order");
        await using var _ = socket;

        foreach (var seq in new long[] { 1, 3, 4, 2 }) // 2 committed first but published last
            hub.Deliver(DirectDelivery.Frame(roomId, seq));
        await socket.WaitForMessageAsync("message 4");
        Assert.Equal([1, 2, 3, 4], Seqs(socket));

        var clock = Stopwatch.StartNew();
        hub.Deliver(DirectDelivery.Frame(roomId, 6)); // 5 never comes (its publish was lost): 6 goes out after the window
        await socket.WaitForMessageAsync("message 6");
        Assert.InRange(clock.Elapsed, RoomChannel.ReorderWindow * 0.8, TimeSpan.FromSeconds(3));
        hub.Deliver(DirectDelivery.Frame(roomId, 7));
        await socket.WaitForMessageAsync("message 7");
        Assert.Equal([1, 2, 3, 4, 6, 7], Seqs(socket));
    }

    [Fact]
    public async Task A_frame_for_one_socket_follows_the_room_frames_released_before_it()
    {
        // An acknowledgement is sent after its message was released to the room; the room's frames
        // go out through a pump, so the ack must queue behind them, not overtake them.
        var (roomId, socket, hub) = await server.RoomWithOneSocketAsync("Ack order");
        await using var _ = socket;
        var connection = Assert.Single(hub.InRoom(roomId));

        for (var seq = 1; seq <= 30; seq++)
        {
            hub.Deliver(DirectDelivery.Frame(roomId, seq));
            hub.SendAfterReleased(connection, DirectDelivery.After(seq));
        }
        await socket.WaitForAsync(f => f.Contains("after-30"));
        var order = DirectDelivery.Order(socket);
        // Messages in order, the frames for this socket in order, and each after its message (a
        // later message may come first when the pump joins messages that waited).
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"m-{i}"), order.Where(v => v.StartsWith("m-")));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"after-{i}"), order.Where(v => v.StartsWith("after-")));
        Assert.All(Enumerable.Range(1, 30), i => Assert.True(order.IndexOf($"m-{i}") < order.IndexOf($"after-{i}"), $"after-{i} overtook m-{i}"));
    }

    [Fact]
    public async Task A_lone_frame_goes_out_at_once_and_frames_that_arrive_while_the_room_is_sending_go_out_joined()
    {
        // No clock holds anything back: one message on a quiet room is sent as soon as the pump runs.
        var (roomId, socket, hub) = await server.RoomWithOneSocketAsync("Joined");
        await using var _ = socket;
        var clock = Stopwatch.StartNew();
        hub.Deliver(DirectDelivery.Frame(roomId, 1));
        await socket.WaitForMessageAsync("message 1");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a lone message took {clock.Elapsed}");

        // 300 released back to back: the pump takes what arrived while it was sending the last lot and
        // sends it as one WebSocket message, so the socket reads far fewer messages than frames.
        var before = socket.MessagesReceived;
        for (var seq = 2; seq <= 301; seq++)
            hub.Deliver(DirectDelivery.Frame(roomId, seq));
        await socket.WaitForMessageAsync("message 301");
        Assert.Equal(Enumerable.Range(1, 301).Select(i => (long)i), Seqs(socket));
        Assert.True(socket.MessagesReceived - before < 150, $"{socket.MessagesReceived - before} WebSocket messages for 300 frames released at once: little was joined");
    }

    [Fact]
    public async Task Concurrent_posts_from_many_senders_arrive_in_seq_order_on_every_socket()
    {
        var people = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.SignUpAsync()));
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Busy order " + Guid.NewGuid().ToString("N")[..6], people[0].Id))).Slug;
        var sockets = new List<TestSocket>();
        foreach (var p in people)
            sockets.Add(await p.JoinAsync(slug));

        const int each = 10;
        await Task.WhenAll(sockets.Select((s, i) => Task.Run(async () =>
        {
            for (var n = 0; n < each; n++)
                await s.SendMessageAsync($"p{i} n{n}");
        })));
        foreach (var s in sockets)
        {
            await s.WaitForAsync(_ => Seqs(s).Count == people.Length * each, TimeSpan.FromSeconds(20));
            Assert.Equal(Enumerable.Range(1, people.Length * each).Select(i => (long)i), Seqs(s));
        }
        foreach (var s in sockets)
            await s.DisposeAsync();
    }
}

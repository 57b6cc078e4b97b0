using System.Diagnostics;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>A server whose rooms send to their sockets at most once per 2 s (the default is 25 ms), so the test can see the wait.</summary>
public sealed class PacedServer : ChatterServer
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Chatter:Realtime:RoomSendInterval", Interval.ToString())];
}

/// <summary>
/// Pacing (<see cref="RealtimeOptions.RoomSendInterval"/>) through the hub and a real socket: a quiet
/// room's message goes out at once; a flooded room's messages wait for its turn and go to each socket
/// joined, still in seq order and still ahead of their acknowledgement. (The rules themselves, on a
/// clock of their own: <see cref="RoomPaceTests"/>.)
/// </summary>
public class RoomPacingTests(PacedServer server) : IClassFixture<PacedServer>
{
    [Fact]
    public async Task A_quiet_rooms_burst_goes_out_at_once()
    {
        // Three messages 20 ms apart: more than the schedule's slack of two, but the room is not
        // flooded (its average gap is far over the interval), so none of them waits.
        var (roomId, socket, hub) = await server.RoomWithOneSocketAsync("Paced");
        await using var _ = socket;
        var clock = Stopwatch.StartNew();
        for (var seq = 1; seq <= 3; seq++)
        {
            hub.Deliver(DirectDelivery.Frame(roomId, seq));
            await Task.Delay(20);
        }
        await socket.WaitForAsync(f => f.Contains("message 3"), PacedServer.Interval * 0.75);
        Assert.True(clock.Elapsed < PacedServer.Interval * 0.75, $"a quiet room's burst waited {clock.Elapsed}");
        Assert.Equal(["m-1", "m-2", "m-3"], DirectDelivery.Order(socket));
    }

    [Fact]
    public async Task A_flooded_rooms_messages_wait_for_its_turn_and_go_together_in_order_ahead_of_their_ack()
    {
        var (roomId, socket, hub) = await server.RoomWithOneSocketAsync("Paced");
        await using var _ = socket;
        var connection = Assert.Single(hub.InRoom(roomId));
        var before = socket.MessagesReceived;

        var clock = Stopwatch.StartNew();
        for (var seq = 1; seq <= 20; seq++) // far more than one per interval (the room is flooded after about 13), each after the pump took the last
        {
            hub.Deliver(DirectDelivery.Frame(roomId, seq));
            await Task.Delay(20);
        }
        hub.SendAfterReleased(connection, DirectDelivery.After(20));
        await socket.WaitForAsync(f => f.Contains("after-20"), PacedServer.Interval * 3);

        Assert.True(clock.Elapsed >= PacedServer.Interval * 0.5, $"the flood went out in {clock.Elapsed}: nothing waited for the room's turn");
        Assert.Equal([.. Enumerable.Range(1, 20).Select(i => $"m-{i}"), "after-20"], DirectDelivery.Order(socket));
        Assert.True(socket.MessagesReceived - before < 20, $"{socket.MessagesReceived - before} WebSocket messages for 20 frames and an ack: nothing was joined");
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;
using ChatterWeb.Messages;
using ChatterWeb.Realtime;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Realtime;

/// <summary>A server whose rooms send to their sockets at most once per 2 s (the default is 25 ms), so the test can see the wait.</summary>
public sealed class PacedServer : ChatterServer
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Chatter:Realtime:RoomSendInterval", Interval.ToString())];
}

/// <summary>
/// Pacing (<see cref="RealtimeOptions.RoomSendInterval"/>): a quiet room's messages go out at once;
/// a room ahead of one send per interval waits for its turn, and what arrives meanwhile goes to each
/// socket as one WebSocket message, still in seq order and still ahead of its acknowledgement.
/// </summary>
public class RoomPacingTests(PacedServer server) : IClassFixture<PacedServer>
{
    private static RoomFrame Frame(long roomId, long seq) =>
        new(roomId, seq, MessageMarkup.RenderFragment(new MessageView(seq, "someone", "Someone", $"message {seq}", DateTimeOffset.UtcNow)));

    [Fact]
    public async Task A_quiet_room_sends_at_once_and_a_busy_one_joins_what_came_within_the_interval_into_one_message()
    {
        var user = await server.SignUpAsync();
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Paced " + Guid.NewGuid().ToString("N")[..6], user.Id))).Slug;
        var roomId = await server.RoomIdAsync(slug);
        await using var socket = await user.JoinAsync(slug);
        var hub = server.Services.GetRequiredService<RoomHub>();
        var connection = Assert.Single(hub.InRoom(roomId));
        await Task.Delay(PacedServer.Interval); // whatever the join sent (presence) is an interval behind

        // Quiet: a message is not held, nor is a second one right behind it (a room may send two
        // back to back; only a room ahead of one send per interval waits).
        var clock = Stopwatch.StartNew();
        hub.Deliver(Frame(roomId, 1));
        await socket.WaitForAsync(f => f.Contains("message 1"), PacedServer.Interval * 0.75);
        hub.Deliver(Frame(roomId, 2));
        await socket.WaitForAsync(f => f.Contains("message 2"), PacedServer.Interval * 0.75);
        Assert.True(clock.Elapsed < PacedServer.Interval * 0.75, $"the first two messages took {clock.Elapsed}");

        // Busy: the third, right after, waits for its turn...
        var before = socket.MessagesReceived;
        hub.Deliver(Frame(roomId, 3));
        await Assert.ThrowsAsync<TimeoutException>(() => socket.WaitForAsync(f => f.Contains("message 3"), TimeSpan.FromMilliseconds(500)));
        // ...and what arrives meanwhile joins it: one WebSocket message, in order, the ack behind its message.
        hub.Deliver(Frame(roomId, 4));
        hub.SendAfterReleased(connection, "<div id=\"after-4\" hx-swap-oob=\"true\"></div>"u8.ToArray());
        await socket.WaitForAsync(f => f.Contains("after-4"), PacedServer.Interval * 3);
        Assert.True(clock.Elapsed >= PacedServer.Interval * 0.9, $"the busy room's third send came {clock.Elapsed} after its first");
        Assert.Equal(before + 2, socket.MessagesReceived); // messages 3 and 4 joined, then the ack

        var order = socket.Seen.SelectMany(f => Regex.Matches(f, "id=\"((m|after)-\\d+)\"")).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["m-1", "m-2", "m-3", "m-4", "after-4"], order);
    }
}

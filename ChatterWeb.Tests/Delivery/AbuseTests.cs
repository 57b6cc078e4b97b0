using System.Net;
using System.Net.WebSockets;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Delivery;

/// <summary>Tight limits so floods, junk and socket hoarding trip quickly.</summary>
public sealed class TightLimitsServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Realtime:MessageBurst", "5"),
        new("Chatter:Realtime:MessagesPerSecond", "0.2"),
        new("Chatter:Realtime:RateLimitStrikes", "3"),
        new("Chatter:Realtime:JunkFrameLimit", "5"),
        new("Chatter:Realtime:MaxSocketsPerUser", "3"),
        new("Chatter:Realtime:ResumeLimit", "10"),
    ];
}

public class AbuseTests(TightLimitsServer server) : IClassFixture<TightLimitsServer>
{
    private async Task<int> StoredByAsync(TestUser user) =>
        await server.WithDbAsync(db => db.Messages.CountAsync(m => m.AuthorId == user.Id));

    [Fact]
    public async Task A_burst_passes_a_flood_is_told_to_slow_down_then_closed_with_1008()
    {
        var alice = await server.SignUpAsync();
        await using var a = await alice.JoinAsync("general");
        for (var i = 0; i < 5; i++)
            await a.SendMessageAsync($"burst {i}");
        for (var i = 0; i < 5; i++)
            await a.WaitForMessageAsync($"burst {i}"); // a human's burst goes through

        try
        {
            for (var i = 0; i < 10; i++)
                await a.SendMessageAsync($"flood {i}");
        }
        catch (WebSocketException)
        {
            // closed by the server mid-flood: that is the point
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await a.WaitForCloseAsync());
        Assert.Equal(3, a.Seen.Count(f => f.Contains("too fast")));
        Assert.Equal(5, await StoredByAsync(alice));
    }

    [Fact]
    public async Task The_rate_limit_is_per_person_across_all_their_sockets()
    {
        var bob = await server.SignUpAsync();
        await using var one = await bob.JoinAsync("general");
        await using var two = await bob.JoinAsync("general");
        for (var i = 0; i < 4; i++)
        {
            await one.SendMessageAsync($"one {i}");
            await two.SendMessageAsync($"two {i}");
        }
        // every send is answered: an acknowledgement or "too fast"
        for (var i = 0; i < 4; i++)
        {
            await one.WaitForAsync(f => f.Contains("composer-status"));
            await two.WaitForAsync(f => f.Contains("composer-status"));
        }
        Assert.Equal(5, await StoredByAsync(bob));
        Assert.Equal(3, one.Seen.Concat(two.Seen).Count(f => f.Contains("too fast")));
    }

    [Fact]
    public async Task A_stream_of_junk_gets_errors_then_a_1008_close()
    {
        var carol = await server.SignUpAsync();
        await using var c = await carol.JoinAsync("general");
        for (var i = 0; i < 8; i++)
            await c.SendTextAsync("{not json " + i);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await c.WaitForCloseAsync());
        Assert.Equal(5, c.Seen.Count(f => f.Contains("not understood")));
    }

    [Fact]
    public async Task Binary_frames_count_as_junk()
    {
        var dan = await server.SignUpAsync();
        await using var d = await dan.JoinAsync("general");
        await d.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Contains("binary", await d.WaitForAsync(f => f.Contains("not understood")));
    }

    [Fact]
    public async Task A_person_holding_too_many_sockets_gets_429_for_the_next()
    {
        var erin = await server.SignUpAsync();
        await using var s1 = await erin.JoinAsync("general");
        await using var s2 = await erin.JoinAsync("general");
        await using var s3 = await erin.JoinAsync("general");
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => erin.ConnectAsync("general"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);

        // the server holds a place per socket until it is done with the socket: wait for it to let go of one
        var held = server.SocketsHeld;
        await s3.DisposeAsync();
        await SlowClientTests.WaitUntilAsync(() => server.SocketsHeld < held, "the closed socket's place released");
        await using var again = await erin.JoinAsync("general"); // a place freed is a place again
    }

    [Fact]
    public async Task A_page_too_far_behind_is_told_to_reload_instead_of_replaying_everything()
    {
        var fay = await server.SignUpAsync();
        var room = await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Busy " + Guid.NewGuid().ToString("N")[..6], fay.Id));
        const long lastSeq = 15;
        await server.WithDbAsync(async db =>
        {
            for (var i = 1; i <= lastSeq; i++)
                db.Messages.Add(new ChatterWeb.Data.Message { RoomId = room.Id, Seq = i, AuthorId = fay.Id, Body = $"fill {i}", ClientMessageId = $"fill-{room.Id}-{i}", CreatedAt = DateTimeOffset.UtcNow });
            await db.Rooms.Where(r => r.Id == room.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.LastSeq, lastSeq));
            return await db.SaveChangesAsync();
        });

        await using var s = await fay.JoinAsync(room.Slug);
        await s.SendJsonAsync(new { type = "resume", afterSeq = 0 });
        Assert.Contains("data-reload=\"true\"", await s.WaitForAsync(f => f.Contains("composer-status")));
        await s.SendJsonAsync(new { type = "resume", afterSeq = lastSeq - 3 });
        var replay = await s.WaitForAsync(f => f.Contains("<article"));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(replay, "<article").Count);
    }
}

using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>The live socket against a real Kestrel: who gets in, who hears what.</summary>
public class SocketEndpointTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    private async Task<string> NewRoomAsync(TestUser user)
    {
        var response = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["name"] = "Room " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    [Fact]
    public async Task No_session_is_refused_before_upgrade()
    {
        var e = await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectAsync(server, "general", cookies: null, server.Origin));
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("null")]
    [InlineData(null)]
    public async Task A_foreign_or_missing_origin_is_refused(string? origin)
    {
        var user = await server.SignUpAsync();
        var e = await Assert.ThrowsAsync<UpgradeRefusedException>(() => user.ConnectAsync("general", origin));
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
    }

    [Fact]
    public async Task A_different_port_on_the_same_host_is_a_foreign_origin()
    {
        var user = await server.SignUpAsync();
        var e = await Assert.ThrowsAsync<UpgradeRefusedException>(() => user.ConnectAsync("general", $"http://127.0.0.1:{server.BaseUri.Port + 1}"));
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
    }

    [Theory]
    [InlineData("no-such-room")]
    [InlineData("UPPER")]
    public async Task An_unknown_room_is_refused(string slug)
    {
        var user = await server.SignUpAsync();
        var e = await Assert.ThrowsAsync<UpgradeRefusedException>(() => user.ConnectAsync(slug));
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
    }

    [Fact]
    public async Task A_plain_GET_without_upgrade_is_a_400()
    {
        var user = await server.SignUpAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await user.Http.GetAsync("/rooms/general/ws")).StatusCode);
    }

    [Fact]
    public async Task Two_sockets_in_a_room_both_receive_and_a_socket_in_another_room_receives_nothing()
    {
        var alice = await server.SignUpAsync("Alice");
        var bob = await server.SignUpAsync("Bob");
        var carol = await server.SignUpAsync("Carol");
        var room = await NewRoomAsync(alice);
        var elsewhere = await NewRoomAsync(carol);

        await using var a = await alice.JoinAsync(room);
        await using var b = await bob.JoinAsync(room);
        await using var c = await carol.JoinAsync(elsewhere);

        var text = "hello from alice " + Guid.NewGuid();
        await a.SendMessageAsync(text);

        var atBob = await b.WaitForMessageAsync(text);
        var atAlice = await a.WaitForMessageAsync(text);
        Assert.Equal(atAlice, atBob); // one rendering, identical for every viewer
        Assert.StartsWith("<div id=\"messages\" hx-swap-oob=\"beforeend\"><article class=\"msg\" id=\"m-1\"", atBob);

        // Carol's room hears its own traffic but never Alice's.
        var marker = "carol's own " + Guid.NewGuid();
        await c.SendMessageAsync(marker);
        await c.WaitForMessageAsync(marker);
        Assert.DoesNotContain(c.Seen, f => f.Contains(text));
    }

    [Fact]
    public async Task The_sender_gets_an_acknowledgement_and_errors_that_no_one_else_sees()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(room);
        await using var b = await bob.JoinAsync(room);

        var id = Guid.NewGuid().ToString();
        await a.SendMessageAsync("ok", id);
        var ack = await a.WaitForAsync(f => f.Contains("data-ack="));
        Assert.Contains($"data-ack=\"{id}\"", ack);

        await a.SendMessageAsync("   ");
        var empty = await a.WaitForAsync(f => f.Contains("composer-status") && f.Contains("error"));
        Assert.Contains("Type a message first.", empty);
        await a.SendMessageAsync(new string('x', 4001));
        Assert.Contains("too long", await a.WaitForAsync(f => f.Contains("composer-status") && f.Contains("error")));

        await b.WaitForMessageAsync("ok");
        await a.SendMessageAsync("after errors");
        await b.WaitForMessageAsync("after errors");
        Assert.DoesNotContain(b.Seen, f => f.Contains("composer-status"));
    }

    [Fact]
    public async Task A_resend_of_the_same_frame_is_broadcast_once_and_acknowledged_twice()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(room);
        await using var b = await bob.JoinAsync(room);

        var id = Guid.NewGuid().ToString();
        await a.SendMessageAsync("said once", id);
        await a.SendMessageAsync("said once", id);
        await a.SendMessageAsync("then this");
        await b.WaitForMessageAsync("then this");

        Assert.Single(b.Seen, f => f.Contains("said once"));
        await a.WaitForMessageAsync("then this");
        Assert.Equal(2, a.Seen.Count(f => f.Contains($"data-ack=\"{id}\"")));
    }

    [Theory]
    [InlineData("<script>alert('x')</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<div hx-get=\"/Account/Logout\" hx-trigger=\"load\">x</div>")]
    public async Task Hostile_bodies_come_back_encoded(string hostile)
    {
        var mallory = await server.SignUpAsync("<b onmouseover=alert(1)>Mallory</b>");
        var bob = await server.SignUpAsync();
        var room = await NewRoomAsync(bob);
        await using var b = await bob.JoinAsync(room);
        await using var m = await mallory.JoinAsync(room);

        await m.SendMessageAsync(hostile);
        var frame = await b.WaitForMessageAsync(hostile);
        Assert.DoesNotContain(hostile, frame);
        Assert.DoesNotContain("<b onmouseover", frame);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(hostile), frame);

        // and on the server-rendered page too
        var page = await bob.Http.GetStringAsync($"/rooms/{room}");
        Assert.DoesNotContain(hostile, page);
        Assert.DoesNotContain("<b onmouseover", page);
    }

    [Fact]
    public async Task Resume_replays_what_a_page_missed_in_order()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        await using (var first = await alice.JoinAsync(room))
        {
            for (var i = 1; i <= 5; i++)
                await first.SendMessageAsync($"m{i}");
            await first.WaitForMessageAsync("m5");
        }

        await using var again = await alice.JoinAsync(room);
        await again.SendJsonAsync(new { type = "resume", afterSeq = 2 });
        var replay = await again.WaitForAsync(f => f.Contains("<article"));
        var seqs = Regex.Matches(replay, "id=\"m-(\\d+)\"").Select(m => m.Groups[1].Value);
        Assert.Equal(["3", "4", "5"], seqs);
    }

    [Fact]
    public async Task A_frame_over_16_KiB_closes_with_1009()
    {
        var alice = await server.SignUpAsync();
        await using var a = await alice.JoinAsync("general");
        await a.SendTextAsync("{\"type\":\"message\",\"body\":\"" + new string('x', 17 * 1024) + "\"}");
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await a.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"launch-missiles\"}")]
    [InlineData("{\"type\":\"message\",\"body\":42}")]
    [InlineData("{\"type\":\"message\",\"body\":[\"a\",\"b\"]}")]
    [InlineData("{\"type\":\"resume\",\"afterSeq\":-1}")]
    [InlineData("{\"body\":\"no type\"}")]
    public async Task Malformed_frames_get_an_error_for_the_sender_and_the_socket_stays_up(string junk)
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(room);
        await a.SendTextAsync(junk);
        var error = await a.WaitForAsync(f => f.Contains("composer-status"));
        Assert.Contains("not understood", error);

        await a.SendMessageAsync("still alive");
        await a.WaitForMessageAsync("still alive");
        Assert.Equal(WebSocketState.Open, a.State);
    }
}

using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Pins;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Pins;

/// <summary>
/// Pins on real sockets and through the plain form: who may pin, the live marker and count, the pins
/// page, what resume replays, and what an archived room or a deleted message does to them.
/// </summary>
public abstract class PinTests(ChatterServer server)
{
    private async Task<string> NewRoomAsync(TestUser owner, RoomKind kind = RoomKind.Open) =>
        (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("Pins " + Guid.NewGuid().ToString("N")[..6], owner.Id, kind))).Slug;

    private async Task<long> PostAsync(TestSocket socket, string slug, string body)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync(body, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        return await server.WithDbAsync(db => db.Messages.Where(m => m.Body == body && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.Seq).SingleAsync());
    }

    private static Task PinFrameAsync(TestSocket socket, long seq, string action = "pin") =>
        socket.SendJsonAsync(new { type = "pin", seq, action });

    private sealed record Stored(DateTimeOffset? PinnedAt, string? PinnedById, long ChangeSeq);

    private Task<Stored> StoredAsync(string slug, long seq) =>
        server.WithDbAsync(db => db.Messages.Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug))
            .Select(m => new Stored(m.PinnedAt, m.PinnedById, m.ChangeSeq)).SingleAsync());

    /// <summary>A message sent now is acknowledged after everything this socket's earlier frames caused (frames are handled in order).</summary>
    private static async Task BarrierAsync(TestSocket socket)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync("barrier " + id, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
    }

    /// <summary>The plain form's POST (the page's antiforgery token); <paramref name="pinned"/> null toggles.</summary>
    private static async Task<HttpResponseMessage> PinFormAsync(HttpClient http, string slug, long seq, bool? pinned = null, bool token = true)
    {
        var fields = new Dictionary<string, string>();
        if (pinned is bool p)
            fields["pinned"] = p ? "true" : "false";
        if (token)
            fields["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(await http.GetStringAsync("/rooms"));
        return await http.PostAsync(MessageActions.PinPath(slug, seq), new FormUrlEncodedContent(fields));
    }

    private static bool IsArticle(string frame, long seq) => frame.Contains($"id=\"m-{seq}\"") && frame.Contains("hx-swap-oob=\"outerHTML\"");

    /// <summary>The header's count, as a change carries it (its own fragment, right after the article).</summary>
    private static bool IsCount(string frame) => frame.StartsWith("<a id=\"pin-count\"", StringComparison.Ordinal);

    [Fact]
    public async Task A_manager_pins_and_every_socket_of_the_room_sees_the_marker_and_the_count()
    {
        var alice = await server.SignUpAsync("Alice Pin");
        var bob = await server.SignUpAsync("Bob Pin");
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        await using var b = await bob.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "the plan");
        var before = await StoredAsync(slug, seq);

        await PinFrameAsync(a, seq);
        foreach (var socket in new[] { a, b })
        {
            var frame = await socket.WaitForAsync(f => IsArticle(f, seq) && f.Contains("pinned-marker"));
            Assert.Contains(">Pinned</span>", frame);
            Assert.Contains($"<a class=\"msg-pin\" href=\"/rooms/{slug}/messages/{seq}/pin\" data-pinned=\"true\"", frame);
            Assert.Contains(">Unpin</a>", frame);
            // the header's count, out of band, with the change number it is as new as
            var count = await socket.WaitForAsync(IsCount);
            Assert.Equal($"<a id=\"pin-count\" class=\"pin-count\" href=\"/rooms/{slug}/pins\" data-change=\"{before.ChangeSeq + 1}\" hx-swap-oob=\"true\">Pinned (1)</a>", count);
        }
        var stored = await StoredAsync(slug, seq);
        Assert.NotNull(stored.PinnedAt);
        Assert.Equal(alice.Id, stored.PinnedById);

        // pinning again (a resend) changes nothing and announces nothing: the barrier proves nothing came late
        await PinFrameAsync(a, seq);
        await BarrierAsync(a);
        Assert.Single(b.Seen, f => IsArticle(f, seq));
        Assert.Equal(stored with { }, await StoredAsync(slug, seq));

        // the room page opens with the marker, the count and Pin shown to the manager only
        var page = await alice.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Contains("Pinned (1)</a>", page);
        Assert.Contains(" can-pin\"", page);
        Assert.Contains("class=\"pinned-marker\"", page);
        Assert.DoesNotContain(" can-pin\"", await bob.Http.GetStringAsync($"/rooms/{slug}"));

        // unpinning takes the marker off and the count down, for everyone
        await PinFrameAsync(a, seq, "unpin");
        foreach (var socket in new[] { a, b })
        {
            var frame = await socket.WaitForAsync(f => IsArticle(f, seq));
            Assert.DoesNotContain("pinned-marker", frame);
            Assert.Contains(">Pin</a>", frame);
            Assert.Contains("Pinned (0)</a>", await socket.WaitForAsync(IsCount));
        }
        Assert.Equal(new Stored(null, null, before.ChangeSeq + 2), await StoredAsync(slug, seq));
        Assert.Contains("Pinned (0)</a>", await bob.Http.GetStringAsync($"/rooms/{slug}"));

        // a change that is not about pins carries no count
        await a.SendJsonAsync(new { type = "reaction", seq, emoji = "👍", action = "add" });
        await b.WaitForAsync(f => IsArticle(f, seq) && f.Contains("class=\"reaction\""));
        var barrier = await PostAsync(a, slug, "after the reaction");
        await b.WaitForAsync(f => f.Contains($"id=\"m-{barrier}\""));
        Assert.Equal(2, b.Seen.Count(IsCount));
    }

    [Fact]
    public async Task A_member_who_does_not_manage_a_channel_is_refused_and_an_administrator_may_pin()
    {
        var owner = await server.SignUpAsync("Owner");
        var member = await server.SignUpAsync("Member");
        var admin = await server.SignUpAsync("Admin");
        await server.MakeAdministratorAsync(admin.Id);
        var slug = await NewRoomAsync(owner);
        await using var o = await owner.JoinAsync(slug);
        await using var m = await member.JoinAsync(slug);
        var seq = await PostAsync(m, slug, "pin me, please");

        // the socket: told why, nothing stored, nothing announced
        await PinFrameAsync(m, seq);
        var refusal = await m.WaitForAsync(f => f.Contains("composer-status error"));
        Assert.Contains("Only the room&#x27;s managers", refusal);
        // the form and its page: 403 with the reason
        var post = await PinFormAsync(member.Http, slug, seq);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(PinMessage.NotAllowedError, await post.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync(MessageActions.PinPath(slug, seq))).StatusCode);
        await BarrierAsync(o);
        Assert.Null((await StoredAsync(slug, seq)).PinnedAt);
        Assert.DoesNotContain(o.Seen, f => IsArticle(f, seq));

        // an administrator who did not create the room manages it
        var pinned = await PinFormAsync(admin.Http, slug, seq, pinned: true);
        Assert.Equal(HttpStatusCode.Redirect, pinned.StatusCode);
        Assert.Equal(admin.Id, (await StoredAsync(slug, seq)).PinnedById);
        await m.WaitForAsync(f => IsArticle(f, seq) && f.Contains("pinned-marker"));

        // and the member cannot unpin it either
        await PinFrameAsync(m, seq, "unpin");
        await BarrierAsync(m);
        Assert.Equal(2, m.Seen.Count(f => f.Contains("composer-status error") && f.Contains("Only the room&#x27;s managers")));
        Assert.NotNull((await StoredAsync(slug, seq)).PinnedAt);
    }

    [Fact]
    public async Task Anyone_in_a_direct_conversation_pins_and_nobody_outside_it_sees_its_pins()
    {
        var ada = await server.SignUpAsync("Ada Direct");
        var bob = await server.SignUpAsync("Bob Direct");
        var eve = await server.SignUpAsync("Eve Outside");
        var created = await ChatterServer.PostFormAsync(ada.Http, "/direct", new() { ["with"] = bob.Id }, $"/direct?with={bob.Id}");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var dm = created.Headers.Location!.ToString().Split('/').Last();
        await using var a = await ada.JoinAsync(dm);
        var seq = await PostAsync(a, dm, "our address");

        // bob did not create the conversation; in a direct conversation that does not matter
        Assert.Contains(" can-pin\"", await bob.Http.GetStringAsync($"/rooms/{dm}"));
        var pinned = await PinFormAsync(bob.Http, dm, seq);
        Assert.Equal(HttpStatusCode.Redirect, pinned.StatusCode);
        Assert.Equal(bob.Id, (await StoredAsync(dm, seq)).PinnedById);
        await a.WaitForAsync(f => IsArticle(f, seq) && f.Contains("pinned-marker"));
        Assert.Contains("Pinned (1)</a>", await a.WaitForAsync(IsCount));
        var list = await ada.Http.GetStringAsync(MessageActions.PinsPath(dm));
        Assert.Contains("our address", list);
        Assert.Contains("Pinned by <span hx-disable>Bob Direct</span>", list);

        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync(MessageActions.PinsPath(dm))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PinFormAsync(eve.Http, dm, seq, pinned: false)).StatusCode);
        Assert.NotNull((await StoredAsync(dm, seq)).PinnedAt);
    }

    [Fact]
    public async Task Without_javascript_the_form_toggles_and_lands_on_the_permalink()
    {
        var alice = await server.SignUpAsync("Alice Plain");
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "plain pins");

        // the page the Pin link opens, with its form
        var page = await alice.Http.GetStringAsync(MessageActions.PinPath(slug, seq));
        Assert.Contains("plain pins", page);
        Assert.Contains("name=\"pinned\" value=\"true\"", page);

        var on = await PinFormAsync(alice.Http, slug, seq);
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.Equal(MessageActions.PermalinkPath(slug, seq), on.Headers.Location!.ToString());
        Assert.NotNull((await StoredAsync(slug, seq)).PinnedAt);
        await a.WaitForAsync(f => IsArticle(f, seq) && f.Contains("pinned-marker")); // live for the room
        var permalink = await alice.Http.GetStringAsync(on.Headers.Location!.ToString());
        Assert.Contains("class=\"pinned-marker\"", permalink);
        Assert.Contains(" can-pin\"", permalink);
        Assert.Contains("name=\"pinned\" value=\"false\"", await alice.Http.GetStringAsync(MessageActions.PinPath(slug, seq)));

        var off = await PinFormAsync(alice.Http, slug, seq);
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.Null((await StoredAsync(slug, seq)).PinnedAt);
        // saying the state it already has: nothing changes, back to the message
        var change = (await StoredAsync(slug, seq)).ChangeSeq;
        Assert.Equal(HttpStatusCode.Redirect, (await PinFormAsync(alice.Http, slug, seq, pinned: false)).StatusCode);
        Assert.Equal(change, (await StoredAsync(slug, seq)).ChangeSeq);

        // bad input: no token, no such message, no such room
        Assert.Equal(HttpStatusCode.BadRequest, (await PinFormAsync(alice.Http, slug, seq, token: false)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PinFormAsync(alice.Http, slug, 999_999)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PinFormAsync(alice.Http, slug, 0)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PinFormAsync(alice.Http, "no-such-room", seq)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync(MessageActions.PinPath(slug, 999_999))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.GetAsync(MessageActions.PinsPath("no-such-room"))).StatusCode);
        Assert.Null((await StoredAsync(slug, seq)).PinnedAt);

        // junk frames are refused on the socket
        await a.SendJsonAsync(new { type = "pin", seq, action = "toggle" });
        await a.SendJsonAsync(new { type = "pin", seq = "x", action = "pin" });
        await a.SendJsonAsync(new { type = "pin", action = "pin" });
        await PinFrameAsync(a, 999_999);
        await BarrierAsync(a);
        Assert.Equal(4, a.Seen.Count(f => f.Contains("composer-status error")));
        Assert.Null((await StoredAsync(slug, seq)).PinnedAt);
    }

    [Fact]
    public async Task The_pins_page_lists_the_newest_pin_first_and_drops_what_is_unpinned_or_deleted()
    {
        var owner = await server.SignUpAsync("Owner <b>Pins</b>");
        var member = await server.SignUpAsync("Member Reader");
        var outsider = await server.SignUpAsync("Outsider");
        var slug = await NewRoomAsync(owner, RoomKind.Closed);
        var roomId = await server.RoomIdAsync(slug);
        await server.WithDbAsync(async db =>
        {
            db.Memberships.Add(new Membership { RoomId = roomId, UserId = member.Id, JoinedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var o = await owner.JoinAsync(slug);
        var first = await PostAsync(o, slug, "**first** <script>alert(1)</script>");
        var second = await PostAsync(o, slug, "second one");
        var third = await PostAsync(o, slug, "never pinned");

        var empty = await member.Http.GetStringAsync(MessageActions.PinsPath(slug));
        Assert.Contains("Nothing is pinned in this room.", empty);

        Assert.Equal(HttpStatusCode.Redirect, (await PinFormAsync(owner.Http, slug, first, pinned: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PinFormAsync(owner.Http, slug, second, pinned: true)).StatusCode);

        var list = await member.Http.GetStringAsync(MessageActions.PinsPath(slug));
        Assert.True(list.IndexOf($"id=\"pin-{second}\"", StringComparison.Ordinal) < list.IndexOf($"id=\"pin-{first}\"", StringComparison.Ordinal), "newest pin first");
        Assert.DoesNotContain($"id=\"pin-{third}\"", list);
        Assert.Contains("<strong>first</strong>", list); // the messages' formatter
        Assert.DoesNotContain("<script>alert", list);
        Assert.Contains("Owner &lt;b&gt;Pins&lt;/b&gt;", list); // author and pinner encoded
        Assert.Contains($"href=\"{MessageActions.PermalinkPath(slug, first)}\"", list);
        Assert.DoesNotContain("unpin-form", list); // the member may read, not unpin
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync(MessageActions.PinsPath(slug))).StatusCode);

        var managed = await owner.Http.GetStringAsync(MessageActions.PinsPath(slug));
        Assert.Equal(2, managed.Split("class=\"unpin-form\"").Length - 1);

        // unpinned from the list's own form: gone from it
        var unpin = await ChatterServer.PostFormAsync(owner.Http, MessageActions.PinPath(slug, first), new() { ["pinned"] = "false" }, MessageActions.PinsPath(slug));
        Assert.Equal(HttpStatusCode.Redirect, unpin.StatusCode);
        Assert.DoesNotContain($"id=\"pin-{first}\"", await member.Http.GetStringAsync(MessageActions.PinsPath(slug)));

        // a deleted message is unpinned with the delete, and the count follows live
        var delete = await ChatterServer.PostFormAsync(owner.Http, MessageActions.DeletePath(slug, second), []);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        var deleted = await o.WaitForAsync(f => IsArticle(f, second) && f.Contains("This message was deleted."));
        Assert.DoesNotContain("pinned-marker", deleted);
        Assert.Contains("Pinned (0)</a>", await o.WaitForAsync(IsCount));
        Assert.Equal(new Stored(null, null, (await StoredAsync(slug, second)).ChangeSeq), await StoredAsync(slug, second));
        Assert.Contains("Nothing is pinned in this room.", await member.Http.GetStringAsync(MessageActions.PinsPath(slug)));
        // and it cannot be pinned again
        Assert.Equal(HttpStatusCode.NotFound, (await PinFormAsync(owner.Http, slug, second, pinned: true)).StatusCode);
        await PinFrameAsync(o, second);
        await o.WaitForAsync(f => f.Contains("composer-status error") && f.Contains("not there any more"));
        Assert.Null((await StoredAsync(slug, second)).PinnedAt);
    }

    [Fact]
    public async Task A_socket_that_was_away_gets_the_pin_once_on_resume()
    {
        var alice = await server.SignUpAsync("Alice Away");
        var bob = await server.SignUpAsync("Bob Away");
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "pin while bob is away");
        var roomId = await server.RoomIdAsync(slug);
        var mark = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastChangeSeq).SingleAsync());

        await (await bob.JoinAsync(slug)).DisposeAsync();
        await PinFrameAsync(a, seq);
        await a.WaitForAsync(f => IsArticle(f, seq) && f.Contains("pinned-marker"));

        await using var back = await bob.JoinAsync(slug);
        await back.SendJsonAsync(new { type = "resume", afterSeq = seq, afterChange = mark });
        var markFrame = await back.WaitForAsync(f => f.Contains("id=\"change-mark\""));
        Assert.Contains($"data-change=\"{mark + 1}\"", markFrame);
        var replay = Assert.Single(back.Seen, f => IsArticle(f, seq));
        Assert.Contains("pinned-marker", replay);
        Assert.Contains($"data-change=\"{mark + 1}\" hx-swap-oob=\"true\">Pinned (1)</a>", Assert.Single(back.Seen, IsCount));

        // up to date: a second resume replays nothing; the barrier proves nothing came late
        await back.SendJsonAsync(new { type = "resume", afterSeq = seq, afterChange = mark + 1 });
        await BarrierAsync(back);
        Assert.Single(back.Seen, f => IsArticle(f, seq));
        Assert.Single(back.Seen, IsCount);
    }

    [Fact]
    public async Task An_archived_room_takes_no_pin_changes()
    {
        var owner = await server.SignUpAsync("Archive Owner");
        var slug = await NewRoomAsync(owner);
        await using var o = await owner.JoinAsync(slug);
        var seq = await PostAsync(o, slug, "pinned before the archive");
        Assert.Equal(HttpStatusCode.Redirect, (await PinFormAsync(owner.Http, slug, seq, pinned: true)).StatusCode);
        var roomId = await server.RoomIdAsync(slug);
        await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(s => s.SetProperty(r => r.ArchivedAt, DateTimeOffset.UtcNow)));
        var before = await StoredAsync(slug, seq);

        await PinFrameAsync(o, seq, "unpin");
        var refusal = await o.WaitForAsync(f => f.Contains("composer-status error"));
        Assert.Contains("archived", refusal);
        var post = await PinFormAsync(owner.Http, slug, seq, pinned: false);
        Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
        Assert.Contains("archived", await post.Content.ReadAsStringAsync());
        Assert.Equal(before, await StoredAsync(slug, seq));

        // still listed and counted; nobody is offered a pin change
        var page = await owner.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Contains("Pinned (1)</a>", page);
        Assert.DoesNotContain(" can-pin\"", page);
        var list = await owner.Http.GetStringAsync(MessageActions.PinsPath(slug));
        Assert.Contains("pinned before the archive", list);
        Assert.DoesNotContain("unpin-form", list);
    }

    public sealed class OnSqlite(ChatterServer server) : PinTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : PinTests(server), IClassFixture<PostgreSqlChatterServer>;
}

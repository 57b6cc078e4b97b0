using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Reactions;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Reactions;

/// <summary>Reactions on real sockets and through the plain form: who may, the limits, idempotency, and what resume replays.</summary>
public abstract class ReactionTests(ChatterServer server)
{
    private async Task<string> NewRoomAsync(TestUser owner, RoomKind kind = RoomKind.Open) =>
        (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("Reactions " + Guid.NewGuid().ToString("N")[..6], owner.Id, kind))).Slug;

    private async Task<long> PostAsync(TestSocket socket, string slug, string body)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync(body, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        return await server.WithDbAsync(db => db.Messages.Where(m => m.Body == body && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.Seq).SingleAsync());
    }

    private static Task ReactAsync(TestSocket socket, long seq, string emoji, string action = "add") =>
        socket.SendJsonAsync(new { type = "reaction", seq, emoji, action });

    private Task<MessageReactions> StoredAsync(string slug, long seq) =>
        server.WithDbAsync(async db => MessageReactions.Parse(await db.Messages
            .Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.Reactions).SingleAsync()));

    /// <summary>A message sent now is acknowledged after everything this socket's earlier frames caused (frames are handled in order).</summary>
    private static async Task BarrierAsync(TestSocket socket)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync("barrier " + id, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
    }

    /// <summary>An emoji as the markup carries it (the HTML encoder writes it as a character reference).</summary>
    private static string V(string emoji) => $"value=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(emoji)}\"";

    private static string Token(string html) => ChatterServer.AntiforgeryToken(html);

    private static async Task<HttpResponseMessage> ToggleAsync(TestUser who, string slug, long seq, string emoji, bool token = true)
    {
        var fields = new Dictionary<string, string> { ["emoji"] = emoji };
        if (token)
            fields["__RequestVerificationToken"] = Token(await who.Http.GetStringAsync("/rooms"));
        return await who.Http.PostAsync(MessageActions.ReactionsPath(slug, seq), new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_reaction_reaches_every_socket_of_the_room_with_who_reacted_and_adding_twice_is_adding_once()
    {
        var alice = await server.SignUpAsync("Alice");
        var bob = await server.SignUpAsync("Bob <b>");
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        await using var b = await bob.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "ship it?");

        await ReactAsync(b, seq, "👍");
        foreach (var socket in new[] { a, b })
        {
            var frame = await socket.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("class=\"reaction\""));
            Assert.Contains("hx-swap-oob=\"outerHTML\"", frame); // the article replaced where it stands
            Assert.Contains(V("👍"), frame);
            Assert.Contains($"data-users=\"{bob.Id}\"", frame);
            Assert.Contains("title=\"Bob &lt;b&gt;\"", frame); // names encoded
            Assert.Contains("aria-label=\"thumbs up, 1: Bob &lt;b&gt;\"", frame);
            Assert.Contains($"formaction=\"/rooms/{slug}/messages/{seq}/reactions\"", frame);
            Assert.Contains("form=\"action-token\"", frame);
        }

        // the same "add" again (a resend) changes nothing and announces nothing
        var changeSeq = await server.WithDbAsync(db => db.Messages.Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.ChangeSeq).SingleAsync());
        await ReactAsync(b, seq, "👍");
        await ReactAsync(a, seq, "👍");
        await BarrierAsync(b);
        await BarrierAsync(a);
        var stored = await StoredAsync(slug, seq);
        var group = Assert.Single(stored.Groups);
        Assert.Equal([bob.Id, alice.Id], group.By.Select(r => r.Id));
        Assert.Equal(2, a.Seen.Count(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("hx-swap-oob=\"outerHTML\"")));
        Assert.Equal(changeSeq + 1, await server.WithDbAsync(db => db.Messages.Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.ChangeSeq).SingleAsync()));

        // removing takes bob's off; removing it again is nothing
        await ReactAsync(b, seq, "👍", "remove");
        await b.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains($"data-users=\"{alice.Id}\""));
        await ReactAsync(b, seq, "👍", "remove");
        await ReactAsync(a, seq, "👍", "remove");
        await a.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("hx-swap-oob=\"outerHTML\"") && !f.Contains("class=\"reaction\""));
        Assert.Empty((await StoredAsync(slug, seq)).Groups);
        Assert.Null(await server.WithDbAsync(db => db.Messages.Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.Reactions).SingleAsync()));

        // the page shows what is stored
        await ReactAsync(b, seq, "🎉");
        await a.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains(V("🎉")));
        var page = await alice.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Contains(V("🎉"), page);
        Assert.Contains("<form id=\"action-token\" method=\"post\" hidden>", page);
        Assert.Contains("id=\"emoji-picker\"", page);
    }

    [Fact]
    public async Task Without_javascript_the_form_toggles_and_lands_on_the_permalink()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "plain reactions");

        // the picker page: every emoji, a search by name
        var picker = await bob.Http.GetStringAsync(MessageActions.ReactionsPath(slug, seq));
        Assert.Contains("plain reactions", picker);
        Assert.Equal(ReactionEmoji.All.Count, picker.Split("class=\"emoji\" name=\"emoji\"").Length - 1);
        var found = await bob.Http.GetStringAsync(MessageActions.ReactionsPath(slug, seq) + "?q=ROCK");
        Assert.Contains(V("🚀"), found);
        Assert.DoesNotContain(V("👍"), found);
        Assert.Contains("No reaction is called that.", await bob.Http.GetStringAsync(MessageActions.ReactionsPath(slug, seq) + "?q=zzz"));

        var on = await ToggleAsync(bob, slug, seq, "🚀");
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.Equal(MessageActions.PermalinkPath(slug, seq), on.Headers.Location!.ToString());
        await a.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains(V("🚀"))); // live for the room
        Assert.True((await StoredAsync(slug, seq)).Has("🚀", bob.Id));
        var permalink = await bob.Http.GetStringAsync(on.Headers.Location!.ToString());
        Assert.Contains(V("🚀"), permalink);
        Assert.Contains("<form id=\"action-token\" method=\"post\" hidden>", permalink);

        var off = await ToggleAsync(bob, slug, seq, "🚀");
        Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        Assert.False((await StoredAsync(slug, seq)).Has("🚀", bob.Id));

        // bad input: not in the set, no token, no such message
        var junk = await ToggleAsync(bob, slug, seq, "<script>");
        Assert.Equal(HttpStatusCode.BadRequest, junk.StatusCode);
        Assert.Contains(ReactionHandler.UnknownEmojiError, await junk.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await ToggleAsync(bob, slug, seq, "")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ToggleAsync(bob, slug, seq, "👍", token: false)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ToggleAsync(bob, slug, 999_999, "👍")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ToggleAsync(bob, "no-such-room", seq, "👍")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync(MessageActions.ReactionsPath(slug, 0))).StatusCode);
        Assert.Empty((await StoredAsync(slug, seq)).Groups);
    }

    [Fact]
    public async Task Only_people_who_can_read_the_room_react_and_never_to_a_deleted_message()
    {
        var owner = await server.SignUpAsync();
        var member = await server.SignUpAsync();
        var outsider = await server.SignUpAsync();
        var slug = await NewRoomAsync(owner, RoomKind.Closed);
        var roomId = await server.RoomIdAsync(slug);
        await server.WithDbAsync(async db =>
        {
            db.Memberships.Add(new Membership { RoomId = roomId, UserId = member.Id, JoinedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        await using var o = await owner.JoinAsync(slug);
        var seq = await PostAsync(o, slug, "members only");

        Assert.Equal(HttpStatusCode.NotFound, (await ToggleAsync(outsider, slug, seq, "👍")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync(MessageActions.ReactionsPath(slug, seq))).StatusCode);

        // a member removed while their socket is open is refused on that socket
        await using var m = await member.JoinAsync(slug);
        await server.WithDbAsync(db => db.Memberships.Where(x => x.UserId == member.Id && x.RoomId == roomId).ExecuteDeleteAsync());
        await ReactAsync(m, seq, "👍");
        await m.WaitForAsync(f => f.Contains("composer-status error") && f.Contains("not there any more"));
        Assert.Empty((await StoredAsync(slug, seq)).Groups);

        // a deleted message takes none
        var delete = await ChatterServer.PostFormAsync(owner.Http, MessageActions.DeletePath(slug, seq), []);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        await ReactAsync(o, seq, "👍");
        await o.WaitForAsync(f => f.Contains("composer-status error") && f.Contains("not there any more"));
        Assert.Equal(HttpStatusCode.NotFound, (await ToggleAsync(owner, slug, seq, "👍")).StatusCode);
        Assert.Empty((await StoredAsync(slug, seq)).Groups);
    }

    [Fact]
    public async Task A_message_takes_at_most_twenty_different_emoji_and_junk_frames_are_refused()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        await using var b = await bob.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "react to everything");

        // two people (each within the rate of posting) fill the twenty
        for (var i = 0; i < MessageReactions.MaxDistinct; i++)
            await ReactAsync(i % 2 == 0 ? a : b, seq, ReactionEmoji.All[i].Emoji);
        await BarrierAsync(a);
        await BarrierAsync(b);
        Assert.Equal(MessageReactions.MaxDistinct, (await StoredAsync(slug, seq)).Groups.Count);

        await ReactAsync(a, seq, ReactionEmoji.All[MessageReactions.MaxDistinct].Emoji);
        await a.WaitForAsync(f => f.Contains("composer-status error") && f.Contains("as many different reactions as it can take"));
        // one already there still counts
        await ReactAsync(a, seq, ReactionEmoji.All[1].Emoji);
        await BarrierAsync(a);
        var stored = await StoredAsync(slug, seq);
        Assert.Equal(MessageReactions.MaxDistinct, stored.Groups.Count);
        Assert.True(stored.Has(ReactionEmoji.All[1].Emoji, alice.Id));

        // not an emoji of the set, or a frame that says the wrong thing: refused, nothing stored
        await ReactAsync(b, seq, "hello");
        await b.WaitForAsync(f => f.Contains("composer-status error") && f.Contains("not one of the reactions on offer"));
        await b.SendJsonAsync(new { type = "reaction", seq, emoji = "👍", action = "toggle" });
        await b.SendJsonAsync(new { type = "reaction", seq = "x", emoji = "👍", action = "add" });
        await b.SendJsonAsync(new { type = "reaction", emoji = "👍", action = "add" });
        await BarrierAsync(b);
        Assert.Equal(3, b.Seen.Count(f => f.Contains("composer-status error") && !f.Contains("not one of the reactions")));
        Assert.False((await StoredAsync(slug, seq)).Has("👍", bob.Id));
    }

    [Fact]
    public async Task People_reacting_at_once_lose_nothing()
    {
        var alice = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "everyone react");
        var people = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => server.SignUpAsync($"Reactor {i}")));
        var sockets = await Task.WhenAll(people.Select(p => p.JoinAsync(slug)));
        try
        {
            await Task.WhenAll(sockets.Select(s => ReactAsync(s, seq, "🔥")));
            await Task.WhenAll(sockets.Select(BarrierAsync));
            var group = Assert.Single((await StoredAsync(slug, seq)).Groups);
            Assert.Equal(people.Select(p => p.Id).Order(), group.By.Select(r => r.Id).Order());
            // every change took its own change number: the last article alice sees names all eight
            await a.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("aria-label=\"fire, 8:"));
        }
        finally
        {
            foreach (var s in sockets)
                await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_socket_that_was_away_gets_the_reactions_once_on_resume()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        var seq = await PostAsync(a, slug, "react while bob is away");
        var roomId = await server.RoomIdAsync(slug);
        var mark = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastChangeSeq).SingleAsync());

        await (await bob.JoinAsync(slug)).DisposeAsync();
        await ReactAsync(a, seq, "👀");
        await ReactAsync(a, seq, "✅");
        await a.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains(V("✅")));

        await using var back = await bob.JoinAsync(slug);
        await back.SendJsonAsync(new { type = "resume", afterSeq = seq, afterChange = mark });
        var markFrame = await back.WaitForAsync(f => f.Contains("id=\"change-mark\""));
        Assert.Contains($"data-change=\"{mark + 2}\"", markFrame);
        var replay = Assert.Single(back.Seen, f => f.Contains($"id=\"m-{seq}\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
        Assert.Contains(V("👀"), replay);
        Assert.Contains(V("✅"), replay);

        // up to date: a second resume replays nothing; the barrier proves nothing came late
        await back.SendJsonAsync(new { type = "resume", afterSeq = seq, afterChange = mark + 2 });
        await BarrierAsync(back);
        Assert.Single(back.Seen, f => f.Contains($"id=\"m-{seq}\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
    }

    public sealed class OnSqlite(ChatterServer server) : ReactionTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : ReactionTests(server), IClassFixture<PostgreSqlChatterServer>;
}

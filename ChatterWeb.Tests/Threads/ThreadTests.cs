using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Notifications;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Threads;

/// <summary>Replies in threads on real sockets and through the plain form: the reply frame, the summary live, resume once, the thread page, unread for the people in the thread.</summary>
public abstract class ThreadTests(ChatterServer server)
{
    private async Task<string> NewRoomAsync(TestUser owner, RoomKind kind = RoomKind.Open) =>
        (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("Threads " + Guid.NewGuid().ToString("N")[..6], owner.Id, kind))).Slug;

    private Task<Message> StoredAsync(string slug, long seq) =>
        server.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).SingleAsync());

    private async Task<long> PostAsync(TestSocket socket, string slug, string body)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync(body, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        return await SeqOfAsync(slug, body);
    }

    private Task<long> SeqOfAsync(string slug, string body) =>
        server.WithDbAsync(db => db.Messages.Where(m => m.Body == body && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).Select(m => m.Seq).SingleAsync());

    /// <summary>Sends a reply frame as the thread's form sends it (htmx-ext-ws: every field a string) and waits for its answer.</summary>
    private static async Task<string> ReplyAsync(TestSocket socket, long parentSeq, string body, string? id = null, bool alsoToRoom = false)
    {
        id ??= Guid.NewGuid().ToString();
        if (alsoToRoom)
            await socket.SendJsonAsync(new { type = "message", body, clientMessageId = id, parentSeq = parentSeq.ToString(), alsoToRoom = "true" });
        else
            await socket.SendJsonAsync(new { type = "message", body, clientMessageId = id, parentSeq = parentSeq.ToString() });
        return await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\"") || f.Contains("composer-status error"));
    }

    private static async Task BarrierAsync(TestSocket socket)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync("barrier " + id, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
    }

    /// <summary>A frame the socket has already had (a wait for a later one may have passed it), or the next one that matches.</summary>
    private static async Task<string> SeenOrNextAsync(TestSocket socket, Func<string, bool> match) =>
        socket.Seen.FirstOrDefault(match) ?? await socket.WaitForAsync(match);

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public async Task A_reply_is_a_message_with_a_parent_and_the_first_message_shows_the_count_live()
    {
        var alice = await server.SignUpAsync("Alice Thread");
        var bob = await server.SignUpAsync("Bob Thread");
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        await using var b = await bob.JoinAsync(slug);
        var parent = await PostAsync(a, slug, "where do we deploy?");

        var replyId = Guid.NewGuid().ToString();
        Assert.Contains("data-ack", await ReplyAsync(b, parent, "to staging first", replyId));
        var reply = await SeqOfAsync(slug, "to staging first");
        Assert.Equal(parent + 1, reply); // the room's next seq: one order for messages and replies
        foreach (var socket in new[] { a, b })
        {
            // the sender's socket got it before its ack (which ReplyAsync waited for)
            var frame = await SeenOrNextAsync(socket, f => f.Contains($"id=\"m-{reply}\""));
            Assert.Contains("id=\"messages\" hx-swap-oob=\"beforeend\"", frame); // appended like any message
            Assert.Contains("class=\"msg reply\"", frame);
            Assert.Contains($"data-parent=\"{parent}\"", frame);
            Assert.Contains($"href=\"/rooms/{slug}/@{parent}/thread\">Reply</a>", frame); // replying to a reply answers the thread
            var summary = await SeenOrNextAsync(socket, f => f.Contains($"id=\"m-{parent}\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
            Assert.Contains($"href=\"/rooms/{slug}/@{parent}/thread\">1 reply</a>", summary);
            Assert.Contains("Last from Bob Thread", summary);
        }
        var stored = await StoredAsync(slug, reply);
        Assert.Equal(parent, stored.ParentSeq);
        Assert.False(stored.AlsoInRoom);
        Assert.Contains(alice.Id, stored.ThreadPeople);

        // sent to the room too: marked so, with a link to its thread; the summary counts it
        Assert.Contains("data-ack", await ReplyAsync(a, parent, "staging it is", alsoToRoom: true));
        var also = await SeqOfAsync(slug, "staging it is");
        var alsoFrame = await SeenOrNextAsync(b, f => f.Contains($"id=\"m-{also}\""));
        Assert.Contains("class=\"msg reply in-room\"", alsoFrame);
        Assert.Contains("Replied in a thread", alsoFrame);
        await b.WaitForAsync(f => f.Contains($"id=\"m-{parent}\"") && f.Contains("2 replies") && f.Contains("Last from Alice Thread, Bob Thread"));

        // the same frame again (a resend after a reconnect) is stored once and counted once
        Assert.Contains("data-ack", await ReplyAsync(b, parent, "to staging first", replyId));
        await BarrierAsync(b);
        await BarrierAsync(a);
        Assert.Equal(2, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ParentSeq == parent && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug))));
        Assert.Equal(2, ThreadSummary.Parse((await StoredAsync(slug, parent)).ThreadSummary)!.Count);
        Assert.Single(b.Seen, f => f.Contains($"id=\"m-{reply}\""));
    }

    [Fact]
    public async Task A_reply_to_a_reply_joins_its_thread_and_a_missing_or_deleted_parent_is_refused()
    {
        var alice = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        var parent = await PostAsync(a, slug, "the first message");
        await ReplyAsync(a, parent, "a reply");
        var reply = await SeqOfAsync(slug, "a reply");

        Assert.Contains("data-ack", await ReplyAsync(a, reply, "a reply to the reply"));
        Assert.Equal(parent, (await StoredAsync(slug, await SeqOfAsync(slug, "a reply to the reply"))).ParentSeq);

        Assert.Contains(PostMessage.NoParentError, await ReplyAsync(a, 999_999, "to nothing"));
        var doomed = await PostAsync(a, slug, "soon deleted");
        var before = Guid.NewGuid().ToString();
        Assert.Contains("data-ack", await ReplyAsync(a, doomed, "replied before the delete", before));
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(alice.Http, MessageActions.DeletePath(slug, doomed), [])).StatusCode);
        Assert.Contains(PostMessage.NoParentError, await ReplyAsync(a, doomed, "to a deleted one"));
        // a resend of the reply stored before the delete is still answered as stored, never "not there"
        Assert.Contains("data-ack", await ReplyAsync(a, doomed, "replied before the delete", before));
        await a.SendJsonAsync(new { type = "message", body = "bad parent", clientMessageId = Guid.NewGuid().ToString(), parentSeq = "x" });
        await a.WaitForAsync(f => f.Contains("composer-status error") && f.Contains("parentSeq"));
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.Body == "to nothing" || m.Body == "to a deleted one" || m.Body == "bad parent")));

        // a seq of another room is not a parent here (this one has no messages yet)
        var other = await NewRoomAsync(alice);
        await using var o = await alice.JoinAsync(other);
        Assert.Contains(PostMessage.NoParentError, await ReplyAsync(o, parent, "across rooms"));
    }

    [Fact]
    public async Task The_thread_page_shows_the_thread_beside_the_room_and_replies_work_without_javascript()
    {
        var alice = await server.SignUpAsync("Alice Page");
        var bob = await server.SignUpAsync("Bob Page");
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        var parent = await PostAsync(a, slug, "a thread on its page");
        await ReplyAsync(a, parent, "first reply");
        var first = await SeqOfAsync(slug, "first reply");

        var page = await bob.Http.GetStringAsync(MessageActions.ThreadPath(slug, parent));
        Assert.Contains($"id=\"thread\" class=\"thread-pane\" aria-labelledby=\"thread-title\" data-parent=\"{parent}\"", page);
        Assert.Contains("a thread on its page", page);
        Assert.Equal(1, Count(page, $"id=\"m-{first}\"")); // in the thread, not twice
        Assert.True(page.IndexOf($"id=\"m-{first}\"", StringComparison.Ordinal) > page.IndexOf("id=\"thread-replies\"", StringComparison.Ordinal));
        Assert.Contains($"name=\"parentSeq\" value=\"{parent}\"", page);
        Assert.Contains("ws-send", page[page.IndexOf("id=\"thread-composer\"", StringComparison.Ordinal)..]);
        // the room alone carries the reply hidden in its list (CSS), for the page's seq order
        Assert.Contains("class=\"msg reply\"", await bob.Http.GetStringAsync($"/rooms/{slug}"));

        // the plain form
        var posted = await ChatterServer.PostFormAsync(bob.Http, $"/rooms/{slug}/messages",
            new() { ["body"] = "replied without scripts", ["parentSeq"] = parent.ToString(), ["alsoToRoom"] = "true" }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var seq = await SeqOfAsync(slug, "replied without scripts");
        Assert.Equal($"{MessageActions.ThreadPath(slug, parent)}#m-{seq}", posted.Headers.Location!.ToString());
        var stored = await StoredAsync(slug, seq);
        Assert.Equal(parent, stored.ParentSeq);
        Assert.True(stored.AlsoInRoom);
        await a.WaitForAsync(f => f.Contains($"id=\"m-{parent}\"") && f.Contains("2 replies")); // live for the room's sockets
        var bad = await ChatterServer.PostFormAsync(bob.Http, $"/rooms/{slug}/messages", new() { ["body"] = "x", ["parentSeq"] = "-1" }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // a reply's thread is its first message's; a reply's permalink opens its thread; no such thread is a 404
        var toRoot = await bob.Http.GetAsync(MessageActions.ThreadPath(slug, first));
        Assert.Equal(HttpStatusCode.Redirect, toRoot.StatusCode);
        Assert.Equal($"{MessageActions.ThreadPath(slug, parent)}#m-{first}", toRoot.Headers.Location!.ToString());
        var permalink = await bob.Http.GetAsync(MessageActions.PermalinkPath(slug, first));
        Assert.Equal(HttpStatusCode.Redirect, permalink.StatusCode);
        Assert.Equal($"{MessageActions.ThreadPath(slug, parent)}#m-{first}", permalink.Headers.Location!.ToString());
        // search finds a reply like any message, and its hit is the permalink that opens the thread
        Assert.Contains($"href=\"{MessageActions.PermalinkPath(slug, seq)}\"", await bob.Http.GetStringAsync("/search?q=" + Uri.EscapeDataString("replied without scripts")));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync(MessageActions.ThreadPath(slug, 999_999))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.Http.GetAsync($"/rooms/{slug}/@0/thread")).StatusCode);
    }

    [Fact]
    public async Task Only_members_reply_in_a_closed_room()
    {
        var owner = await server.SignUpAsync();
        var outsider = await server.SignUpAsync();
        var slug = await NewRoomAsync(owner, RoomKind.Closed);
        await using var o = await owner.JoinAsync(slug);
        var parent = await PostAsync(o, slug, "members only thread");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync(MessageActions.ThreadPath(slug, parent))).StatusCode);
        var posted = await ChatterServer.PostFormAsync(outsider.Http, $"/rooms/{slug}/messages", new() { ["body"] = "let me in", ["parentSeq"] = parent.ToString() }, "/rooms");
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.Body == "let me in")));
    }

    [Fact]
    public async Task Unread_and_mentions_count_a_thread_reply_only_for_the_people_in_the_thread()
    {
        var alice = await server.SignUpAsync("Alice Unread");
        var bob = await server.SignUpAsync("Bob Unread");
        var carol = await server.SignUpAsync("Carol Unread");
        var dave = await server.SignUpAsync("Dave Unread");
        var slug = await NewRoomAsync(alice);
        var roomId = await server.RoomIdAsync(slug);
        foreach (var who in new[] { bob, carol, dave })
            await who.Http.GetStringAsync($"/rooms/{slug}"); // members of the open room
        await using var a = await alice.JoinAsync(slug);
        var parent = await PostAsync(a, slug, "who reviews this?");
        await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == roomId).ExecuteUpdateAsync(s => s.SetProperty(m => m.LastReadSeq, parent)));

        await using var b = await bob.JoinAsync(slug);
        await ReplyAsync(b, parent, "@Carol Unread can you?");

        async Task<UnreadCount> CountsAsync(TestUser who)
        {
            await using var scope = server.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ReadState>().ForRoomAsync(roomId, who.Id);
        }
        Assert.Equal(new UnreadCount(1, 0), await CountsAsync(alice)); // the thread's first message is hers
        Assert.Equal(new UnreadCount(1, 1), await CountsAsync(carol)); // mentioned in it
        Assert.Equal(new UnreadCount(0, 0), await CountsAsync(dave)); // not in the thread
        Assert.Equal(new UnreadCount(0, 0), await CountsAsync(bob)); // his own

        // once carol has replied she is in the thread; a reply also sent to the room counts for everyone
        await using var c = await carol.JoinAsync(slug);
        await ReplyAsync(c, parent, "yes, after lunch");
        await ReplyAsync(b, parent, "thanks, everyone look at this", alsoToRoom: true);
        Assert.Equal(new UnreadCount(2, 1), await CountsAsync(carol)); // bob's two; her own is not unread
        Assert.Equal(new UnreadCount(1, 0), await CountsAsync(dave));
        Assert.Equal(new UnreadCount(3, 0), await CountsAsync(alice));

        // the per-member counts of the room (the unread worker's) follow the same rule
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var members = await scope.ServiceProvider.GetRequiredService<ReadState>().MembersAsync(roomId);
            Assert.Equal(1, members.Single(m => m.UserId == dave.Id).Count);
            Assert.Equal(3, members.Single(m => m.UserId == alice.Id).Count);
        }
    }

    [Fact]
    public async Task A_thread_reply_notifies_only_the_people_in_the_thread_and_opens_the_thread()
    {
        var alice = await server.SignUpAsync("Alice Notified");
        var bob = await server.SignUpAsync("Bob Notified");
        var dave = await server.SignUpAsync("Dave Notified");
        var slug = await NewRoomAsync(alice);
        var roomId = await server.RoomIdAsync(slug);
        foreach (var who in new[] { bob, dave })
            await who.Http.GetStringAsync($"/rooms/{slug}");
        await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == roomId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Notify, NotifyLevel.Everything)));
        await using var d = await dave.JoinAsync("general"); // his own stream, from another room
        await using var b = await bob.JoinAsync("general");
        await using var a = await alice.JoinAsync(slug);
        Func<string, bool> badge = f => f.Contains($"id=\"unread-{roomId}\"");

        var parent = await PostAsync(a, slug, "who has the keys?");
        await d.WaitForAsync(badge);
        await b.WaitForAsync(badge);
        Assert.Single(d.Seen, f => f.Contains("id=\"notify-signal\"")); // everything: the room's message notifies both

        // Bob replies: Alice (the first message's author) is in the thread, Dave is not
        await using var bobInRoom = await bob.JoinAsync(slug);
        await ReplyAsync(bobInRoom, parent, "I have them");
        var reply = await SeqOfAsync(slug, "I have them");
        var toAlice = await a.WaitForAsync(f => f.Contains("id=\"notify-signal\"") && f.Contains("I have them"));
        Assert.Contains($"data-url=\"{MessageActions.ThreadPath(slug, parent)}#m-{reply}\"", toAlice);
        // Dave's counts for that reply come (a barrier: the same gathering, the same WebSocket message as any signal) without a signal
        await d.WaitForAsync(f => badge(f) && f.Contains("data-count=\"1\""));
        Assert.Single(d.Seen, f => f.Contains("id=\"notify-signal\""));
        Assert.DoesNotContain(d.Seen, f => f.Contains("I have them"));
    }

    [Fact]
    public async Task A_socket_that_was_away_gets_the_replies_and_the_summary_once_on_resume()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        var roomId = await server.RoomIdAsync(slug);
        await using var a = await alice.JoinAsync(slug);
        var parent = await PostAsync(a, slug, "reply while bob is away");
        var mark = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastChangeSeq).SingleAsync());

        await (await bob.JoinAsync(slug)).DisposeAsync();
        await ReplyAsync(a, parent, "away reply one");
        await ReplyAsync(a, parent, "away reply two");
        await a.WaitForAsync(f => f.Contains($"id=\"m-{parent}\"") && f.Contains("2 replies"));
        var last = await SeqOfAsync(slug, "away reply two");
        var newMark = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastChangeSeq).SingleAsync());

        await using var back = await bob.JoinAsync(slug);
        await back.SendJsonAsync(new { type = "resume", afterSeq = parent, afterChange = mark });
        await back.WaitForAsync(f => f.Contains("id=\"change-mark\"") && f.Contains($"data-change=\"{newMark}\""));
        var catchUp = Assert.Single(back.Seen, f => f.Contains("id=\"messages\""));
        Assert.Contains($"id=\"m-{last - 1}\"", catchUp);
        Assert.Contains($"id=\"m-{last}\"", catchUp);
        Assert.Contains($"data-parent=\"{parent}\"", catchUp);
        var summary = Assert.Single(back.Seen, f => f.Contains($"id=\"m-{parent}\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
        Assert.Contains("2 replies", summary);

        await back.SendJsonAsync(new { type = "resume", afterSeq = last, afterChange = newMark });
        await BarrierAsync(back);
        Assert.Single(back.Seen, f => f.Contains($"id=\"m-{parent}\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
        Assert.Equal(1, back.Seen.Count(f => f.Contains($"id=\"m-{last}\"")));
    }

    public sealed class OnSqlite(ChatterServer server) : ThreadTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : ThreadTests(server), IClassFixture<PostgreSqlChatterServer>;
}

using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Notifications;
using ChatterWeb.Tests.Infrastructure;
using ChatterWeb.Tests.ScaleOut;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.People;

/// <summary>
/// People over real sockets: typing, unread counts on the per-user stream (members only), read
/// state shared by every socket of a user, mentions, direct rooms closed to everyone else, and the
/// notification setting.
/// </summary>
public abstract class PeopleTests(ChatterServer server)
{
    private async Task<string> CreateRoomAsync(TestUser owner, bool membersOnly = false)
    {
        var fields = new Dictionary<string, string> { ["name"] = "People " + Guid.NewGuid().ToString("N")[..6] };
        if (membersOnly)
            fields["membersOnly"] = "true";
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    private static async Task AddMemberAsync(TestUser owner, string slug, TestUser who)
    {
        var members = $"/rooms/{slug}/members";
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(owner.Http, members + "?handler=Add", new() { ["email"] = who.Email }, members)).StatusCode);
    }

    private static async Task SendAckedAsync(TestSocket socket, string body)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync(body, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
    }

    private static Func<string, bool> Badge(long roomId, int count) =>
        f => f.Contains($"id=\"unread-{roomId}\"") && f.Contains($"id=\"unread-{roomId}\" class=\"unread") && Regex.IsMatch(f, $"id=\"unread-{roomId}\"[^>]*data-count=\"{count}\"");

    /// <summary>
    /// A barrier on each reader's own stream: a post in a room of theirs they are not looking at, whose
    /// badge must reach their socket. The read-state worker sends one gathering after another and a
    /// socket's frames keep their order, so whatever the stream was sent before has arrived by then.
    /// Returns that room's id.
    /// </summary>
    private async Task<long> StreamBarrierAsync(params (TestUser Who, TestSocket Socket)[] readers)
    {
        var poster = await server.SignUpAsync("Barrier Poster");
        var side = await CreateRoomAsync(poster);
        foreach (var (who, _) in readers)
            await who.Http.GetStringAsync($"/rooms/{side}"); // a member (first visit)
        await using (var p = await poster.JoinAsync(side))
            await SendAckedAsync(p, "a later post elsewhere");
        var sideId = await server.RoomIdAsync(side);
        foreach (var (_, socket) in readers)
            await socket.WaitForAsync(Badge(sideId, 1));
        return sideId;
    }

    [Fact]
    public async Task Typing_reaches_the_others_in_the_room_at_most_once_a_second_and_nobody_elsewhere()
    {
        var ada = await server.SignUpAsync("Ada Typist");
        var bob = await server.SignUpAsync("Bob Reader");
        var carl = await server.SignUpAsync("Carl Elsewhere");
        var slug = await CreateRoomAsync(ada);
        var other = await CreateRoomAsync(carl);
        await using var a = await ada.JoinAsync(slug);
        await using var b = await bob.JoinAsync(slug);
        await using var c = await carl.JoinAsync(other);

        for (var i = 0; i < 5; i++)
            await a.SendJsonAsync(new { type = "typing", HEADERS = new { } });
        var signal = await b.WaitForAsync(f => f.Contains("id=\"typing-signal\""));
        Assert.Contains($"data-user-id=\"{ada.Id}\"", signal);
        Assert.Contains("data-name=\"Ada Typist\"", signal);
        // Barriers: Ada's frames are handled in order, so her message reaches Bob after any typing
        // signal of hers; Carl's own acknowledgement reaches him after anything sent to his socket before.
        await SendAckedAsync(a, "done typing");
        await b.WaitForMessageAsync("done typing");
        Assert.Single(b.Seen, f => f.Contains("id=\"typing-signal\"")); // five reports within a second: passed on once
        await SendAckedAsync(c, "meanwhile elsewhere");
        Assert.DoesNotContain(c.Seen, f => f.Contains("typing-signal"));

        // a second later it is passed on again
        await Task.Delay(1000);
        await a.SendJsonAsync(new { type = "typing" });
        await b.WaitForAsync(f => f.Contains("id=\"typing-signal\""));
    }

    [Fact]
    public async Task Unread_counts_reach_members_on_their_own_stream_and_never_anyone_who_cannot_see_the_room()
    {
        var owner = await server.SignUpAsync("Owner");
        var member = await server.SignUpAsync("Member");
        var outsider = await server.SignUpAsync("Outsider");
        var closed = await CreateRoomAsync(owner, membersOnly: true);
        await AddMemberAsync(owner, closed, member);
        var roomId = await server.RoomIdAsync(closed);

        // the member and the outsider are both elsewhere (in general), each on a socket of their own
        await using var memberElsewhere = await member.JoinAsync("general");
        await using var outsiderElsewhere = await outsider.JoinAsync("general");
        await using var o = await owner.JoinAsync(closed);

        await SendAckedAsync(o, "secret plans one");
        await SendAckedAsync(o, "secret plans two");
        await memberElsewhere.WaitForAsync(Badge(roomId, 2));
        await StreamBarrierAsync((outsider, outsiderElsewhere));
        Assert.DoesNotContain(outsiderElsewhere.Seen, f => f.Contains($"unread-{roomId}") || f.Contains("secret plans"));
        Assert.DoesNotContain(memberElsewhere.Seen, f => f.Contains("secret plans")); // a count, not the messages
        Assert.DoesNotContain(o.Seen, f => f.Contains($"id=\"unread-{roomId}\"")); // one's own messages are not unread

        // the sidebar of a page shows the same count; the outsider's shows nothing of the room
        Assert.Matches($"id=\"unread-{roomId}\"[^>]*data-count=\"2\"", await member.Http.GetStringAsync("/rooms"));
        Assert.DoesNotContain($"unread-{roomId}", await outsider.Http.GetStringAsync("/rooms"));
    }

    [Fact]
    public async Task A_flood_of_posts_stretches_the_gathering_and_the_counts_stay_exact()
    {
        Assert.Equal(UnreadWorker.Gather, UnreadWorker.NextGather(UnreadWorker.BusyPosts - 1));
        Assert.Equal(UnreadWorker.BusyGather, UnreadWorker.NextGather(UnreadWorker.BusyPosts));

        var worker = server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<UnreadWorker>().Single();
        var stretchedBefore = worker.StretchedGatherings;
        var posters = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => server.SignUpAsync($"Flood {i}")));
        var reader = await server.SignUpAsync("Flood Reader");
        var slug = await CreateRoomAsync(posters[0]);
        var roomId = await server.RoomIdAsync(slug);
        await reader.Http.GetStringAsync($"/rooms/{slug}"); // a member (first visit), reading elsewhere
        await using var elsewhere = await reader.JoinAsync("general");
        var sockets = await Task.WhenAll(posters.Select(p => p.JoinAsync(slug)));
        try
        {
            // 60 posts at once (20 each: the per-person burst): at least one gathering holds 20 of them
            await Task.WhenAll(sockets.Select((s, i) => Task.Run(async () =>
            {
                for (var n = 0; n < 20; n++)
                    await s.SendMessageAsync($"flood {i}.{n}");
                await s.WaitForAsync(f => f.Contains($"flood {i}.19"));
            })));
            await elsewhere.WaitForAsync(Badge(roomId, 60));
            Assert.True(worker.StretchedGatherings > stretchedBefore, "a gathering of 20+ posts is followed by the stretched wait");
            // and the next, after the stretched gathering, is counted too (from someone with posts to spare)
            var late = await server.SignUpAsync("Flood Late");
            await using var lateSocket = await late.JoinAsync(slug);
            await SendAckedAsync(lateSocket, "after the flood");
            await elsewhere.WaitForAsync(Badge(roomId, 61));
        }
        finally
        {
            foreach (var s in sockets)
                await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_page_without_a_room_hears_its_users_stream_on_me_ws_and_nothing_else()
    {
        var owner = await server.SignUpAsync("Owner Me");
        var member = await server.SignUpAsync("Member Me");
        var outsider = await server.SignUpAsync("Outsider Me");
        var closed = await CreateRoomAsync(owner, membersOnly: true);
        await AddMemberAsync(owner, closed, member);
        var roomId = await server.RoomIdAsync(closed);
        Assert.Contains("ws-connect=\"/me/ws\"", await member.Http.GetStringAsync("/rooms"));        // the rooms page opens it
        Assert.DoesNotContain("/me/ws", await member.Http.GetStringAsync($"/rooms/{closed}"));        // a room page has its own socket

        // refused without a session or from another origin
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", null, server.Origin))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", member.Cookies, "http://evil.example"))).Status);

        await using var memberOnRooms = await TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", member.Cookies, server.Origin);
        await using var outsiderOnRooms = await TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", outsider.Cookies, server.Origin);
        await server.UntilStreamHasAsync(member.Id);
        await server.UntilStreamHasAsync(outsider.Id);
        await using var o = await owner.JoinAsync(closed);
        await SendAckedAsync(o, "for members only");
        await memberOnRooms.WaitForAsync(Badge(roomId, 1));
        await memberOnRooms.SendJsonAsync(new { type = "resume", afterSeq = 0 }); // what a page sends on open: ignored
        var sideId = await StreamBarrierAsync((member, memberOnRooms), (outsider, outsiderOnRooms));
        Assert.All(outsiderOnRooms.Seen, f => Assert.Contains($"id=\"unread-{sideId}\"", f)); // nothing but the barrier: no rooms, no counts, no messages
        Assert.DoesNotContain(memberOnRooms.Seen, f => f.Contains("for members only"));

        // signing out closes it like any socket of the user
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(member.Http, "/Account/Logout", [], "/rooms")).StatusCode);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, await memberOnRooms.WaitForCloseAsync());
    }

    [Fact]
    public async Task Reading_to_the_bottom_on_one_socket_marks_the_room_read_on_every_socket_of_that_user()
    {
        var ada = await server.SignUpAsync("Ada Poster");
        var bob = await server.SignUpAsync("Bob Two Tabs");
        var slug = await CreateRoomAsync(ada);
        var roomId = await server.RoomIdAsync(slug);
        await bob.Http.GetStringAsync($"/rooms/{slug}"); // Bob has joined the room (first visit)
        await using var tabInGeneral = await bob.JoinAsync("general");
        await using var tabInRoom = await bob.JoinAsync(slug);
        await using var a = await ada.JoinAsync(slug);

        await SendAckedAsync(a, "first");
        await SendAckedAsync(a, "second");
        await tabInGeneral.WaitForAsync(Badge(roomId, 2));

        await tabInRoom.SendJsonAsync(new { type = "read", upToSeq = 1 });
        await tabInGeneral.WaitForAsync(Badge(roomId, 1));
        await tabInRoom.SendJsonAsync(new { type = "read", upToSeq = 99 }); // beyond the newest: clamped
        await tabInGeneral.WaitForAsync(Badge(roomId, 0));
        Assert.Equal(2, await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == roomId && m.UserId == bob.Id).Select(m => m.LastReadSeq).SingleAsync()));

        // read state never goes back, and a bad frame is an error for the sender, not a crash
        await tabInRoom.SendJsonAsync(new { type = "read", upToSeq = 1 });
        await tabInRoom.SendJsonAsync(new { type = "read", upToSeq = -5 });
        await tabInRoom.WaitForAsync(f => f.Contains("composer-status") && f.Contains("upToSeq"));
        // The tab open in the room is not sent that room's badge (it is hidden there: that room is being
        // read). The error just answered is the barrier: it came after the badges both tabs were sent.
        Assert.DoesNotContain(tabInRoom.Seen, f => f.Contains($"id=\"unread-{roomId}\""));
        Assert.Equal(2, await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == roomId && m.UserId == bob.Id).Select(m => m.LastReadSeq).SingleAsync()));
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task Opening_a_room_shows_the_new_messages_divider_above_the_first_unread()
    {
        var ada = await server.SignUpAsync("Ada Divider");
        var bob = await server.SignUpAsync("Bob Divider");
        var slug = await CreateRoomAsync(ada);
        var roomId = await server.RoomIdAsync(slug);
        await using var a = await ada.JoinAsync(slug);
        await SendAckedAsync(a, "before Bob came");
        Assert.DoesNotContain("unread-divider", await bob.Http.GetStringAsync($"/rooms/{slug}")); // a first visit has no divider

        await using (var b = await bob.JoinAsync(slug))
            await b.SendJsonAsync(new { type = "read", upToSeq = 1 });
        await Cluster.EventuallyAsync(() => server.WithDbAsync(db => db.Memberships.AnyAsync(m => m.RoomId == roomId && m.UserId == bob.Id && m.LastReadSeq == 1)), "Bob read up to 1");
        await SendAckedAsync(a, "while Bob was away");
        await SendAckedAsync(a, "and more");

        var page = await bob.Http.GetStringAsync($"/rooms/{slug}");
        var divider = page.IndexOf("id=\"unread-divider\"", StringComparison.Ordinal);
        Assert.True(divider > page.IndexOf("id=\"m-1\"", StringComparison.Ordinal) && divider < page.IndexOf("id=\"m-2\"", StringComparison.Ordinal), "the divider sits between 1 and 2");
        Assert.Single(Regex.Matches(page, "id=\"unread-divider\""));
        Assert.DoesNotContain("unread-divider", await ada.Http.GetStringAsync($"/rooms/{slug}")); // her own messages are not new to her
    }

    [Fact]
    public async Task A_mention_is_marked_on_the_message_counted_for_the_mentioned_person_and_notifies_only_them()
    {
        var ada = await server.SignUpAsync("Ada Mentioner");
        var grace = await server.SignUpAsync("Grace Mentioned");
        var linus = await server.SignUpAsync("Linus Bystander");
        var slug = await CreateRoomAsync(ada);
        var roomId = await server.RoomIdAsync(slug);
        await grace.Http.GetStringAsync($"/rooms/{slug}");
        await linus.Http.GetStringAsync($"/rooms/{slug}");
        await using var graceElsewhere = await grace.JoinAsync("general");
        await using var linusElsewhere = await linus.JoinAsync("general");
        await using var a = await ada.JoinAsync(slug);

        await SendAckedAsync(a, "@grace mentioned please review, and @Nobody Here too");
        var article = a.Seen.Single(f => f.Contains("please review"));
        Assert.Contains($"data-mentions=\"{grace.Id}\"", article); // the same bytes for everyone: who, not "you"
        Assert.Equal(grace.Id, await server.WithDbAsync(db => db.Messages.Where(m => m.RoomId == roomId).Select(m => m.Mentions).SingleAsync()));

        var toGrace = await graceElsewhere.WaitForAsync(Badge(roomId, 1));
        Assert.Contains("class=\"unread mentioned\"", toGrace);
        Assert.Contains("data-mentions=\"1\"", toGrace);
        // the notification travels in the same WebSocket message as the badge (TestSocket splits it into fragments)
        var signal = await graceElsewhere.WaitForAsync(f => f.Contains("id=\"notify-signal\""));
        Assert.Contains(HtmlEncoder.Default.Encode("Ada Mentioner mentioned you"), signal);
        var toLinus = await linusElsewhere.WaitForAsync(Badge(roomId, 1));
        Assert.DoesNotContain("mentioned", toLinus); // counted, not highlighted, not notified (default: mentions only)
        Assert.DoesNotContain(linusElsewhere.Seen, f => f.Contains("notify-signal")); // fragments of one message arrive together
        Assert.DoesNotContain("notify-signal", toLinus);

        // the @ suggestions list the room's members (not the asker), by the text typed
        var list = await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=gra");
        Assert.Contains("role=\"listbox\"", list);
        Assert.Contains("data-name=\"Grace Mentioned\"", list);
        Assert.DoesNotContain("Linus", list);
        Assert.DoesNotContain("Ada Mentioner", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q="));
        Assert.Contains(" hidden>", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=zzz"));
    }

    [Fact]
    public async Task The_notification_setting_is_per_room_and_per_person()
    {
        var ada = await server.SignUpAsync("Ada Setter");
        var grace = await server.SignUpAsync("Grace Setter");
        var slug = await CreateRoomAsync(ada);
        var roomId = await server.RoomIdAsync(slug);
        await grace.Http.GetStringAsync($"/rooms/{slug}");
        var set = (string level) => ChatterServer.PostFormAsync(grace.Http, $"/rooms/{slug}/notifications", new() { ["level"] = level }, $"/rooms/{slug}");

        Assert.Equal(HttpStatusCode.BadRequest, (await set("Loud")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await set("7")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await set("Everything")).StatusCode);
        Assert.Equal(NotifyLevel.Everything, await server.WithDbAsync(db => db.Memberships.Where(m => m.RoomId == roomId && m.UserId == grace.Id).Select(m => m.Notify).SingleAsync()));
        Assert.Contains("<option value=\"Everything\" selected=\"selected\">", await grace.Http.GetStringAsync($"/rooms/{slug}"));

        await using var g = await grace.JoinAsync("general");
        await using var a = await ada.JoinAsync(slug);
        await SendAckedAsync(a, "no mention, but Grace wants everything");
        await g.WaitForAsync(Badge(roomId, 1));
        Assert.Contains(g.Seen, f => f.Contains("notify-signal")); // in the same WebSocket message as the badge

        Assert.Equal(HttpStatusCode.Redirect, (await set("Nothing")).StatusCode);
        var signals = g.Seen.Count(f => f.Contains("notify-signal"));
        await SendAckedAsync(a, "@Grace Setter even a mention stays quiet");
        await g.WaitForAsync(Badge(roomId, 2));
        Assert.Equal(signals, g.Seen.Count(f => f.Contains("notify-signal"))); // no signal came with the badge

        // a room one cannot read: 404, nothing stored
        var closed = await CreateRoomAsync(ada, membersOnly: true);
        var response = await ChatterServer.PostFormAsync(grace.Http, $"/rooms/{closed}/notifications", new() { ["level"] = "Nothing" }, "/rooms");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_direct_room_is_reused_for_the_same_people_and_closed_to_everyone_else()
    {
        var ada = await server.SignUpAsync("Ada Direct");
        var bob = await server.SignUpAsync("Bob Direct");
        var eve = await server.SignUpAsync("Eve Outside");
        // started from Bob's name: the link opens the start page, the button creates the room
        var page = await ada.Http.GetStringAsync($"/direct?with={bob.Id}");
        Assert.Contains($"value=\"{bob.Id}\" checked=\"checked\"", page);
        var created = await ChatterServer.PostFormAsync(ada.Http, "/direct", new() { ["with"] = bob.Id }, $"/direct?with={bob.Id}");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var dm = created.Headers.Location!.ToString().Split('/').Last();
        Assert.StartsWith("dm-", dm);
        Assert.Equal(RoomKind.Direct, await server.WithDbAsync(db => db.Rooms.Where(r => r.Slug == dm).Select(r => r.Kind).SingleAsync()));
        var dmId = await server.RoomIdAsync(dm);

        // the same two people, from either side, get the same room; the link goes straight there
        var again = await ChatterServer.PostFormAsync(bob.Http, "/direct", new() { ["with"] = ada.Id }, "/direct");
        Assert.Equal($"/rooms/{dm}", again.Headers.Location!.ToString());
        var link = await bob.Http.GetAsync($"/direct?with={ada.Id}");
        Assert.Equal($"/rooms/{dm}", link.Headers.Location!.ToString());
        Assert.Equal(1, await server.WithDbAsync(db => db.Rooms.CountAsync(r => r.Kind == RoomKind.Direct && r.Slug == dm)));
        Assert.Equal(2, await server.WithDbAsync(db => db.Memberships.CountAsync(m => m.RoomId == dmId)));

        // Bob writes; Ada, elsewhere, gets her direct list with the count and a notification (DMs default to everything)
        await using var adaElsewhere = await ada.JoinAsync("general");
        await using (var b = await bob.JoinAsync(dm))
            await SendAckedAsync(b, "just between us");
        var frame = await adaElsewhere.WaitForAsync(f => f.Contains("id=\"direct-list\""));
        Assert.Contains("Bob Direct", frame);
        Assert.Matches("data-count=\"1\"", frame);
        Assert.Contains(adaElsewhere.Seen, f => f.Contains("notify-signal")); // in the same WebSocket message as the list
        Assert.Contains("Bob Direct", await ada.Http.GetStringAsync("/rooms")); // listed under Bob's name

        // Eve: not listed, not readable, no socket, no suggestions, no posting, no joining by the members page
        Assert.DoesNotContain(dm, await eve.Http.GetStringAsync("/rooms"));
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync($"/rooms/{dm}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync($"/rooms/{dm}/messages?before=10")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync($"/rooms/{dm}/mentions?q=")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await eve.Http.GetAsync($"/rooms/{dm}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Assert.ThrowsAsync<UpgradeRefusedException>(() => eve.ConnectAsync(dm))).Status);
        var post = await ChatterServer.PostFormAsync(eve.Http, $"/rooms/{dm}/messages", new() { ["body"] = "let me in" }, "/rooms");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        // the members are fixed: not even Ada can add Eve
        var add = await ChatterServer.PostFormAsync(ada.Http, $"/rooms/{dm}/members?handler=Add", new() { ["email"] = eve.Email }, $"/rooms/{dm}/members");
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal(0, await server.WithDbAsync(db => db.Memberships.CountAsync(m => m.UserId == eve.Id && m.RoomId == dmId)));

        // a small group is another room; the same group in another order is the same room
        var group = await ChatterServer.PostFormAsync(ada.Http, "/direct", new() { ["with"] = bob.Id + "," }, "/direct");
        Assert.NotEqual(HttpStatusCode.Redirect, group.StatusCode); // not an id
        var g1 = await PostWithManyAsync(ada, [bob.Id, eve.Id]);
        var g2 = await PostWithManyAsync(eve, [ada.Id, bob.Id]);
        Assert.Equal(g1, g2);
        Assert.NotEqual($"/rooms/{dm}", g1);
        Assert.Equal(HttpStatusCode.OK, (await eve.Http.GetAsync(g1)).StatusCode);

        // nobody alone, and not more than the limit
        var alone = await ChatterServer.PostFormAsync(ada.Http, "/direct", new() { ["with"] = ada.Id }, "/direct");
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        Assert.Contains("Pick at least one person", await alone.Content.ReadAsStringAsync());
    }

    private async Task<string> PostWithManyAsync(TestUser who, string[] with)
    {
        var page = await who.Http.GetStringAsync("/direct");
        var fields = with.Select(w => new KeyValuePair<string, string>("with", w))
            .Append(new("__RequestVerificationToken", ChatterServer.AntiforgeryToken(page)));
        var response = await who.Http.PostAsync("/direct", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    public sealed class OnSqlite(ChatterServer server) : PeopleTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : PeopleTests(server), IClassFixture<PostgreSqlChatterServer>;
}

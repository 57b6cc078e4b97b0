using System.Net.WebSockets;
using System.Net;
using System.Text.Encodings.Web;
using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>Two instances on one database and one Redis: everything a person sees crosses instances.</summary>
[Collection(ScaleOutCollection.Name)]
public class TwoInstanceTests(Cluster cluster) : IClassFixture<Cluster>
{
    [Fact]
    public async Task A_message_posted_on_A_reaches_a_socket_on_B_and_no_socket_of_another_room()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob");
        var carol = await Browser.SignUpAsync(cluster.B.BaseUri, "Carol");
        var room = await Cluster.CreateRoomAsync(alice, "Crossing");
        var other = await Cluster.CreateRoomAsync(carol, "Elsewhere");

        await using var onA = await alice.JoinAsync(room);
        await using var onB = await bob.JoinAsync(room);
        await using var otherOnB = await carol.JoinAsync(other);

        for (var i = 0; i < 5; i++)
            await Cluster.SendAckedAsync(onA, $"from A number {i}");
        await Cluster.SendAckedAsync(onB, "and one from B");

        try
        {
            for (var i = 0; i < 5; i++)
                await Cluster.SawAsync(onB, $"from A number {i}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"B seqs {string.Join(",", Cluster.Seqs(onB))}; A seqs {string.Join(",", Cluster.Seqs(onA))}; " + string.Join("\n", onB.Seen), e);
        }
        await Cluster.SawAsync(onA, "and one from B");
        foreach (var socket in new[] { onA, onB })
        {
            var seqs = Cluster.Seqs(socket);
            // each message exactly once (A's own posts are not delivered again from Redis) ...
            Assert.Equal([1, 2, 3, 4, 5, 6], seqs.Order());
            // ... and one instance's frames in their order. B's own 6 may overtake A's 5 on its way
            // through Redis: the page keeps #messages sorted by seq.
            Assert.Equal([1, 2, 3, 4, 5], seqs.Where(s => s <= 5));
        }

        // the other room hears its own traffic, and nothing of the first room's
        await Cluster.SendAckedAsync(otherOnB, "only here");
        await Cluster.SawAsync(otherOnB, "only here");
        Assert.DoesNotContain(otherOnB.Seen, f => f.Contains("from A number") || f.Contains("and one from B"));
        await Cluster.SendAckedAsync(onB, "the first room again"); // a barrier: B sends it after the other room's
        await Cluster.SawAsync(onA, "the first room again");
        await Cluster.SawAsync(onB, "the first room again");
        Assert.DoesNotContain(onA.Seen, f => f.Contains("only here"));
        Assert.DoesNotContain(onB.Seen, f => f.Contains("only here"));
    }

    [Fact]
    public async Task A_file_uploaded_through_A_is_pushed_to_B_and_served_by_B_from_the_shared_folder()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice F");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob F");
        var room = await Cluster.CreateRoomAsync(alice, "Shared files");
        await using var onB = await bob.JoinAsync(room);

        var png = ChatterWeb.Tests.Attachments.TestImages.Png(40, 30);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(ChatterServer.AntiforgeryToken(await alice.Http.GetStringAsync($"/rooms/{room}"))), "__RequestVerificationToken" },
            { new StringContent(Guid.NewGuid().ToString()), "clientMessageId" },
            { new ByteArrayContent(png), "file", "diagram.png" },
        };
        var upload = await alice.Http.PostAsync($"/rooms/{room}/attachments", form); // on A
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);

        var frame = await onB.WaitForAsync(f => f.Contains("attachment image"));
        var url = System.Text.RegularExpressions.Regex.Match(frame, "href=\"(/attachments/[0-9a-f]{32})\"").Groups[1].Value;
        var fromB = await bob.Http.GetAsync(url); // on B
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal("image/png", fromB.Content.Headers.ContentType!.MediaType);
        Assert.Equal((40, 30), ChatterWeb.Tests.Attachments.TestImages.Size(await fromB.Content.ReadAsByteArrayAsync()));
        var thumbnail = await bob.Http.GetAsync(url + "/thumbnail"); // the thumbnail, stored by A, served by B
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Presence_crosses_instances_and_a_person_with_two_tabs_on_two_instances_counts_once()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice Anders");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob Berg");
        var room = await Cluster.CreateRoomAsync(alice, "Presence");
        var aliceName = HtmlEncoder.Default.Encode(alice.DisplayName);

        await using var aliceOnA = await alice.JoinAsync(room);
        // Bob on B is told Alice (on A) is here in his first list
        await using var bobOnB = await bob.JoinAsync(room);
        Assert.Contains(aliceName, bobOnB.Seen.Last(f => f.Contains("id=\"presence\"")));
        // Alice on A hears Bob arrive on B
        await aliceOnA.WaitForPresenceAsync(p => p.Values.Contains(bob.DisplayName));

        // the page rendered by B lists Alice
        var page = await bob.Http.GetStringAsync($"/rooms/{room}");
        Assert.Contains($"</span> {aliceName}</a></li>", page);

        // a second tab of Alice, on B: she is still listed once (each instance holds an entry for her)
        var roomId = long.Parse(System.Text.RegularExpressions.Regex.Match(page, "data-room-id=\"(\\d+)\"").Groups[1].Value);
        var aliceId = System.Text.RegularExpressions.Regex.Match(page, $"<li data-user-id=\"([^\"]+)\" data-name=\"[^\"]*\"><a [^>]*><span [^>]*>[^<]*</span> {aliceName}</a></li>").Groups[1].Value;
        Assert.NotEmpty(aliceId);
        await using (var aliceOnB = await alice.JoinAsync(room, cluster.B.BaseUri))
        {
            var list = aliceOnB.Seen.Last(f => f.Contains("id=\"presence\""));
            Assert.Equal(2, CountOf(list, "data-user-id=\""));
            Assert.Equal(1, CountOf(list, $"</span> {aliceName}</a></li>"));
            Assert.Equal(2, await PresenceEntriesAsync(roomId, aliceId));
        }
        // closing that tab leaves her listed (her tab on A is open). The barrier: B has let go of the
        // tab, its entry is gone from the cluster's presence.
        await Cluster.EventuallyAsync(async () => await PresenceEntriesAsync(roomId, aliceId) < 2, "B dropped the closed tab's presence entry");
        page = await bob.Http.GetStringAsync($"/rooms/{room}");
        Assert.Contains($"</span> {aliceName}</a></li>", page);

        // Bob leaves B: Alice's list on A loses him
        await bobOnB.DisposeAsync();
        await aliceOnA.WaitForPresenceAsync(p => !p.Values.Contains(bob.DisplayName) && p.Values.Contains(alice.DisplayName));
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "").Length) / what.Length;

    /// <summary>The user's entries in the room's cluster-wide presence: one per instance with a socket of theirs there.</summary>
    private async Task<int> PresenceEntriesAsync(long roomId, string userId)
    {
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var members = await redis.GetDatabase().SortedSetRangeByRankAsync(ChatterWeb.Presence.RedisPresence.SetKey(roomId));
        return members.Count(m => m.ToString().StartsWith(userId + "|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cookie_issued_by_A_is_honoured_by_B()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice");
        var room = await Cluster.CreateRoomAsync(alice, "Cookies");

        // the same cookie jar (cookies ignore ports) against B: the page and the socket
        using var onB = new HttpClient(new HttpClientHandler { CookieContainer = alice.Cookies, AllowAutoRedirect = false }) { BaseAddress = cluster.B.BaseUri };
        var page = await onB.GetAsync($"/rooms/{room}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await using var socket = await alice.JoinAsync(room, cluster.B.BaseUri);
        await Cluster.SendAckedAsync(socket, "posted on B with A's cookie");
    }

    [Fact]
    public async Task Signing_out_on_A_closes_the_users_socket_on_B_with_1008()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice");
        var bob = await Browser.SignUpAsync(cluster.A.BaseUri, "Bob");
        var room = await Cluster.CreateRoomAsync(alice, "Sign-out");
        await using var aliceOnB = await alice.JoinAsync(room, cluster.B.BaseUri);
        await using var bobOnB = await bob.JoinAsync(room, cluster.B.BaseUri);

        var response = await ChatterServer.PostFormAsync(alice.Http, "/Account/Logout", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.Equal(CloseCodes.Policy, await aliceOnB.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(WebSocketState.Open, bobOnB.State); // only hers
    }

    [Fact]
    public async Task Removal_from_a_closed_room_on_A_closes_that_members_socket_in_that_room_on_B_only()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice");
        var bob = await Browser.SignUpAsync(cluster.A.BaseUri, "Bob");
        var created = await ChatterServer.PostFormAsync(alice.Http, "/rooms", new() { ["Name"] = "Closed " + Guid.NewGuid().ToString("N")[..6], ["membersOnly"] = "true" });
        var closed = created.Headers.Location!.OriginalString.Split('/').Last();
        var open = await Cluster.CreateRoomAsync(alice, "Open");
        var members = $"/rooms/{closed}/members";
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(alice.Http, members + "?handler=Add", new() { ["email"] = bob.Email }, members)).StatusCode);

        await using var inClosed = await bob.JoinAsync(closed, cluster.B.BaseUri);
        await using var inOpen = await bob.JoinAsync(open, cluster.B.BaseUri);
        var bobId = System.Text.RegularExpressions.Regex.Match(await alice.Http.GetStringAsync(members), "name=\"userId\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(bobId);
        await ChatterServer.PostFormAsync(alice.Http, members + "?handler=Remove", new() { ["userId"] = bobId }, members);

        Assert.Equal(CloseCodes.Policy, await inClosed.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(WebSocketState.Open, inOpen.State);
    }

    [Fact]
    public async Task Typing_unread_counts_and_read_state_cross_instances_on_the_per_user_stream_to_members_only()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice Typist");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob Counter");
        var carol = await Browser.SignUpAsync(cluster.B.BaseUri, "Carol Outsider");
        var room = await Cluster.CreateRoomAsync(alice, "People");
        var page = await bob.Http.GetStringAsync($"/rooms/{room}"); // Bob's first visit (on B) makes him a member
        var roomId = System.Text.RegularExpressions.Regex.Match(page, "data-room-id=\"(\\d+)\"").Groups[1].Value;
        Assert.NotEmpty(roomId);

        await using var aliceOnA = await alice.JoinAsync(room);
        await using var bobInRoomOnB = await bob.JoinAsync(room, cluster.B.BaseUri);
        await using var bobElsewhereOnA = await bob.JoinAsync("general", cluster.A.BaseUri);
        await using var carolOnB = await carol.JoinAsync("general");

        // typing on A reaches the room's socket on B
        await aliceOnA.SendJsonAsync(new { type = "typing" });
        await bobInRoomOnB.WaitForAsync(f => f.Contains("id=\"typing-signal\"") && f.Contains("Alice Typist"));

        // a message posted on A: Bob's socket elsewhere gets his count on his own stream; his socket
        // in that very room (on B, the frame crossed Redis) does not: that badge is hidden there
        await Cluster.SendAckedAsync(aliceOnA, "count me across");
        await bobElsewhereOnA.WaitForAsync(f => f.Contains($"id=\"unread-{roomId}\"") && f.Contains("data-count=\"1\""));
        // A later frame on Bob's stream as a barrier: a post in another room of his, whose badge his
        // socket on B does show. Frames on one Redis channel keep their order, so had the first badge
        // been sent to B it would be there before this one.
        var other = await Cluster.CreateRoomAsync(alice, "People other");
        var otherPage = await bob.Http.GetStringAsync($"/rooms/{other}");
        var otherId = System.Text.RegularExpressions.Regex.Match(otherPage, "data-room-id=\"(\\d+)\"").Groups[1].Value;
        await using (var aliceInOther = await alice.JoinAsync(other))
            await Cluster.SendAckedAsync(aliceInOther, "the barrier");
        await bobInRoomOnB.WaitForAsync(f => f.Contains($"id=\"unread-{otherId}\""));
        Assert.DoesNotContain(bobInRoomOnB.Seen, f => f.Contains($"id=\"unread-{roomId}\""));

        // Bob reads on B: his socket on A hears it
        await bobInRoomOnB.SendJsonAsync(new { type = "read", upToSeq = 1 });
        await bobElsewhereOnA.WaitForAsync(f => f.Contains($"id=\"unread-{roomId}\"") && f.Contains("data-count=\"0\""));

        // Carol (not a member, on B) heard nothing of it. Barriers, after all of it: a message in her
        // room from A (room frames from A reach her in the order A sent them), and on her own stream
        // a badge from B's read-state worker, which sends one gathering after another (and frames on
        // her stream's channel keep the order Redis got them in).
        await Cluster.SendAckedAsync(bobElsewhereOnA, "in general, after all that");
        await Cluster.SawAsync(carolOnB, "in general, after all that");
        var side = await Cluster.CreateRoomAsync(bob, "Carol's other");
        await carol.Http.GetStringAsync($"/rooms/{side}"); // a member (first visit), not looking at it
        var sideId = System.Text.RegularExpressions.Regex.Match(await bob.Http.GetStringAsync($"/rooms/{side}"), "data-room-id=\"(\\d+)\"").Groups[1].Value;
        await using (var bobInSideOnB = await bob.JoinAsync(side, cluster.B.BaseUri))
            await Cluster.SendAckedAsync(bobInSideOnB, "a later post elsewhere");
        await carolOnB.WaitForAsync(f => f.Contains($"id=\"unread-{sideId}\""));
        Assert.DoesNotContain(carolOnB.Seen, f => f.Contains($"unread-{roomId}") || f.Contains("typing-signal") || f.Contains("count me across"));
    }

    [Fact]
    public async Task Both_instances_are_ready_with_Redis_up()
    {
        Assert.Equal(HttpStatusCode.OK, await Cluster.ReadyzAsync(cluster.A));
        Assert.Equal(HttpStatusCode.OK, await Cluster.ReadyzAsync(cluster.B));
    }

    [Fact]
    public async Task Here_posted_on_A_reaches_a_member_with_the_room_open_on_B_and_not_one_away()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice Here");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob There");
        var carol = await Browser.SignUpAsync(cluster.B.BaseUri, "Carol Away");
        var room = await Cluster.CreateRoomAsync(alice, "Here across");
        await carol.Http.GetStringAsync($"/rooms/{room}"); // a member, no tab open, nothing posted
        await bob.Http.GetStringAsync($"/rooms/{room}"); // a member (the page's first visit), then his tab on B
        await using var onB = await bob.JoinAsync(room);
        await using var onA = await alice.JoinAsync(room);

        // presence is the cluster's (Redis): A counts Bob, whose only socket is on B
        var list = "";
        try
        {
            await Cluster.EventuallyAsync(async () => (list = await alice.Http.GetStringAsync($"/rooms/{room}/mentions?q=he")).Contains("notifies 1 person"), "@here offered as notifying Bob");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(list, e);
        }
        await Cluster.SendAckedAsync(onA, "@here quick sync");
        await Cluster.SawAsync(onB, "quick sync"); // the body draws "@here" in a span of its own
        var article = onB.Seen.Single(f => f.Contains("<article") && f.Contains("quick sync"));
        Assert.Contains("data-room-mention=\"here\"", article);
        var reached = System.Text.RegularExpressions.Regex.Match(article, "data-mentions=\"([^\"]+)\"").Groups[1].Value.Split(' ');
        Assert.Single(reached); // Bob alone: Alice wrote it, Carol is away
    }
}

using System.Net;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Notifications;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.People;

/// <summary>
/// <c>@here</c> and <c>@room</c> over real sockets and the plain form: whom they reach (the room's
/// members but the author and those set to Nothing; for <c>@here</c> only those with the room open or
/// recently active), the room-size limit, the per-room rate, the question before one that reaches
/// many (idempotent once confirmed), and a reply in a thread. The server allows them in rooms of at
/// most <see cref="MaxMembers"/> and asks above <see cref="ConfirmAbove"/> people.
/// </summary>
public abstract class RoomWideMentionTests(ChatterServer server)
{
    public const int MaxMembers = 6;
    public const int ConfirmAbove = 3;

    public static readonly KeyValuePair<string, string?>[] Limits =
    [
        new("Chatter:Mentions:RoomWideMaxMembers", MaxMembers.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Chatter:Mentions:ConfirmAbove", ConfirmAbove.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private async Task<(string Slug, long Id)> RoomWithAsync(TestUser owner, params TestUser[] members)
    {
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", new() { ["name"] = "Wide " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var slug = response.Headers.Location!.ToString().Split('/').Last();
        foreach (var m in members)
            await m.Http.GetStringAsync($"/rooms/{slug}"); // an open room: a member from the first visit
        return (slug, await server.RoomIdAsync(slug));
    }

    private async Task<TestUser[]> PeopleAsync(string name, int n)
    {
        var people = new TestUser[n];
        for (var i = 0; i < n; i++)
            people[i] = await server.SignUpAsync($"{name} {i + 1}");
        return people;
    }

    /// <summary>Sends a message frame and returns the answer to it: its ack, an error, or the question.</summary>
    private static async Task<string> SendAsync(TestSocket socket, string body, string? id = null, bool confirmed = false, long? parentSeq = null, bool alsoToRoom = false)
    {
        id ??= Guid.NewGuid().ToString();
        var frame = new Dictionary<string, object?> { ["type"] = "message", ["body"] = body, ["clientMessageId"] = id };
        if (confirmed)
            frame["confirmRoomWide"] = "true";
        if (parentSeq is long p)
            frame["parentSeq"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (alsoToRoom)
            frame["alsoToRoom"] = "true";
        await socket.SendJsonAsync(frame);
        return await socket.WaitForAsync(f => f.Contains("id=\"composer-status\"") && (f.Contains($"data-ack=\"{id}\"") || f.Contains("composer-status error") || f.Contains("data-confirm")));
    }

    private static Func<string, bool> Badge(long roomId, int count, int mentions) =>
        f => Regex.IsMatch(f, $"id=\"unread-{roomId}\"[^>]*data-count=\"{count}\" data-mentions=\"{mentions}\"");

    private Task<List<Message>> MessagesAsync(long roomId) =>
        server.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.RoomId == roomId).OrderBy(m => m.Seq).ToListAsync());

    private async Task<T> WithReadsAsync<T>(Func<ReadState, Task<T>> use)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ReadState>());
    }

    private Task<UnreadCount> UnreadAsync(long roomId, TestUser who) => WithReadsAsync(r => r.ForRoomAsync(roomId, who.Id));

    [Fact]
    public async Task Room_mentions_every_member_but_the_author_and_nobody_set_to_Nothing()
    {
        var (ada, grace, linus, quiet) = (await server.SignUpAsync("Ada Wide"), await server.SignUpAsync("Grace Wide"), await server.SignUpAsync("Linus Wide"), await server.SignUpAsync("Quiet Wide"));
        var (slug, roomId) = await RoomWithAsync(ada, grace, linus, quiet);
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(quiet.Http, $"/rooms/{slug}/notifications", new() { ["level"] = "Nothing" }, $"/rooms/{slug}")).StatusCode);

        // the @ suggestions offer @room and @here with how many they notify (Grace and Linus: Quiet is set to Nothing)
        var list = await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=ro");
        Assert.Contains("data-name=\"room\"", list);
        Assert.Contains("notifies 2 people", list);
        Assert.Contains("data-name=\"room\"", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=chan")); // the word from other chats
        Assert.DoesNotContain("data-name=\"room\"", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=gra"));
        Assert.DoesNotContain("data-name=\"room\"", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=")); // a bare "@": people only

        await using var g = await grace.JoinAsync("general");
        await using var l = await linus.JoinAsync("general");
        await using var q = await quiet.JoinAsync("general");
        await using var a = await ada.JoinAsync(slug);
        var answer = await SendAsync(a, "@channel standup in five");
        Assert.Contains("data-ack", answer);

        var stored = Assert.Single(await MessagesAsync(roomId));
        Assert.Equal(RoomMention.Room, stored.RoomMention);
        Assert.Null(stored.Mentions); // nobody by name: @room is the kind, not a list of ids
        Assert.Contains("data-room-mention=\"room\"", a.Seen.Single(f => f.Contains("standup in five")));

        await g.WaitForAsync(Badge(roomId, 1, 1));
        Assert.Contains(HtmlEncoder.Default.Encode("Ada Wide mentioned you"), await g.WaitForAsync(f => f.Contains("id=\"notify-signal\"")));
        await l.WaitForAsync(Badge(roomId, 1, 1));
        await q.WaitForAsync(Badge(roomId, 1, 0)); // unread, not a mention
        Assert.DoesNotContain(q.Seen, f => f.Contains("notify-signal")); // fragments of one message arrive together

        // the same rule in SQL (the sidebar and one room's count), not only in memory
        Assert.Equal(new UnreadCount(1, 1), await UnreadAsync(roomId, grace));
        Assert.Equal(new UnreadCount(1, 1), await UnreadAsync(roomId, linus));
        Assert.Equal(new UnreadCount(1, 0), await UnreadAsync(roomId, quiet));
        Assert.Equal(new UnreadCount(0, 0), await UnreadAsync(roomId, ada));
        Assert.Contains($"id=\"unread-{roomId}\" class=\"unread mentioned\"", await linus.Http.GetStringAsync("/rooms/general"));
        Assert.Contains($"id=\"unread-{roomId}\" class=\"unread\"", await quiet.Http.GetStringAsync("/rooms/general"));
    }

    [Fact]
    public async Task Here_mentions_only_the_members_with_the_room_open_or_who_posted_in_it_lately()
    {
        var (ada, open, recent, away) = (await server.SignUpAsync("Ada Here"), await server.SignUpAsync("Open Here"), await server.SignUpAsync("Recent Here"), await server.SignUpAsync("Away Here"));
        var (slug, roomId) = await RoomWithAsync(ada, open, recent, away);
        await ChatterServer.PostViaFormAsync(recent, slug, "I was just here"); // active a moment ago, no tab open now
        await using var o = await open.JoinAsync(slug);
        await using var a = await ada.JoinAsync(slug);

        Assert.Contains("notifies 2 people", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=he"));
        Assert.Contains("data-ack", await SendAsync(a, "@here who can review?"));

        var here = (await MessagesAsync(roomId)).Single(m => m.Body == "@here who can review?");
        Assert.Equal(RoomMention.Here, here.RoomMention);
        Assert.Equal(new[] { open.Id, recent.Id }.Order(StringComparer.Ordinal), here.Mentions!.Split(' ').Order(StringComparer.Ordinal));
        var article = await o.WaitForMessageAsync(" who can review?"); // "@here" is drawn in a span of its own
        Assert.Contains("data-room-mention=\"here\"", article);
        Assert.Contains(open.Id, article); // in data-mentions: the page's highlight for those it reached

        Assert.Equal(new UnreadCount(1, 1), await UnreadAsync(roomId, recent));
        Assert.Equal(new UnreadCount(2, 0), await UnreadAsync(roomId, away)); // "I was just here" and the @here: unread, no mention
        Assert.Equal(1, (await UnreadAsync(roomId, open)).Mentions);
    }

    [Fact]
    public async Task In_a_room_bigger_than_the_limit_they_are_refused_with_a_clear_message_and_nothing_is_stored()
    {
        var ada = await server.SignUpAsync("Ada Big");
        var (slug, roomId) = await RoomWithAsync(ada, await PeopleAsync("Big Member", MaxMembers)); // one more than the limit
        Assert.DoesNotContain("data-name=\"room\"", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=r"));
        Assert.DoesNotContain("data-name=\"here\"", await ada.Http.GetStringAsync($"/rooms/{slug}/mentions?q=h"));

        await using var a = await ada.JoinAsync(slug);
        var refused = await SendAsync(a, "@room lunch?", confirmed: true);
        Assert.Contains("composer-status error", refused);
        Assert.Contains($"@room can only be used in rooms of at most {MaxMembers} members", refused);
        Assert.Contains("@here can only be used", await SendAsync(a, "hello @HERE"));
        Assert.Contains("data-ack", await SendAsync(a, "lunch, anyone? (an email like me@here.example is not a mention)"));
        var stored = Assert.Single(await MessagesAsync(roomId));
        Assert.Equal(RoomMention.None, stored.RoomMention);
    }

    [Fact]
    public async Task One_room_wide_mention_per_person_per_room_in_the_interval_and_its_resend_is_still_answered()
    {
        var (ada, grace) = (await server.SignUpAsync("Ada Rate"), await server.SignUpAsync("Grace Rate"));
        var (slug, roomId) = await RoomWithAsync(ada, grace);
        var (other, _) = await RoomWithAsync(ada, grace);
        await using var a = await ada.JoinAsync(slug);

        var first = Guid.NewGuid().ToString();
        Assert.Contains("data-ack", await SendAsync(a, "@room first", first));
        var tooSoon = await SendAsync(a, "@here second");
        Assert.Contains("composer-status error", tooSoon);
        Assert.Contains("less than 5 minutes ago", tooSoon);
        Assert.Contains("data-ack", await SendAsync(a, "@room first", first)); // a resend: the stored one, not the rate's refusal
        Assert.Contains("data-ack", await SendAsync(a, "an ordinary message goes")); // only room-wide mentions are limited
        Assert.Equal(["@room first", "an ordinary message goes"], (await MessagesAsync(roomId)).Select(m => m.Body));

        // another room has its own allowance, and so has another person
        await using var elsewhere = await ada.JoinAsync(other);
        Assert.Contains("data-ack", await SendAsync(elsewhere, "@room in the other room"));
        await using var g = await grace.JoinAsync(slug);
        Assert.Contains("data-ack", await SendAsync(g, "@room from Grace"));
    }

    [Fact]
    public async Task One_that_reaches_many_is_stored_only_once_confirmed_and_exactly_once()
    {
        var ada = await server.SignUpAsync("Ada Ask");
        var (slug, roomId) = await RoomWithAsync(ada, await PeopleAsync("Ask Member", ConfirmAbove + 1));
        await using var a = await ada.JoinAsync(slug);

        var id = Guid.NewGuid().ToString();
        var question = await SendAsync(a, "@room release at noon", id);
        Assert.Contains("data-confirm=\"true\"", question);
        Assert.Contains("@room will notify 4 people. Send it?", question);
        Assert.Contains("Send to 4 people", question);
        Assert.DoesNotContain($"data-ack=\"{id}\"", question);
        // the question is the answer to the frame: a message stored would have been acknowledged, not asked about
        Assert.Empty(await MessagesAsync(roomId));

        Assert.Contains($"data-ack=\"{id}\"", await SendAsync(a, "@room release at noon", id, confirmed: true));
        Assert.Contains($"data-ack=\"{id}\"", await SendAsync(a, "@room release at noon", id, confirmed: true)); // a resend
        Assert.Contains($"data-ack=\"{id}\"", await SendAsync(a, "@room release at noon", id)); // a resend without the flag: not asked again
        var stored = Assert.Single(await MessagesAsync(roomId));
        Assert.Equal(RoomMention.Room, stored.RoomMention);
    }

    [Fact]
    public async Task Without_JavaScript_the_form_asks_on_a_page_whose_button_sends_it_once()
    {
        var ada = await server.SignUpAsync("Ada Form");
        var (slug, roomId) = await RoomWithAsync(ada, await PeopleAsync("Form Member", ConfirmAbove + 1));
        var id = Guid.NewGuid().ToString();

        var asked = await ChatterServer.PostFormAsync(ada.Http, $"/rooms/{slug}/messages", new() { ["body"] = "@everyone <b>fire drill</b>", ["clientMessageId"] = id }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var page = await asked.Content.ReadAsStringAsync();
        Assert.Contains("@room will notify 4 people. Send it?", page);
        Assert.Contains("&lt;b&gt;fire drill&lt;/b&gt;", page); // the text, encoded, kept for the confirmed send
        Assert.Empty(await MessagesAsync(roomId));

        // the page's own form: its fields, its token, its button's name and value
        var form = Regex.Match(page, "<form class=\"room-wide-confirm\" method=\"post\" action=\"(?<action>[^\"]+)\">(?<fields>.*?)</form>", RegexOptions.Singleline);
        Assert.True(form.Success, page);
        var fields = Regex.Matches(form.Groups["fields"].Value, "<(?:input|button)[^>]*name=\"(?<n>[^\"]+)\"[^>]*value=\"(?<v>[^\"]*)\"")
            .ToDictionary(m => m.Groups["n"].Value, m => WebUtility.HtmlDecode(m.Groups["v"].Value));
        Assert.Equal("true", fields["confirmRoomWide"]);
        Assert.Equal(id, fields["clientMessageId"]);
        var sent = await ada.Http.PostAsync(form.Groups["action"].Value, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var again = await ada.Http.PostAsync(form.Groups["action"].Value, new FormUrlEncodedContent(fields)); // the button pressed twice
        Assert.Equal(sent.Headers.Location, again.Headers.Location);
        var stored = Assert.Single(await MessagesAsync(roomId));
        Assert.Equal("@everyone <b>fire drill</b>", stored.Body);
        Assert.Equal(RoomMention.Room, stored.RoomMention);
    }

    [Fact]
    public async Task In_a_thread_reply_they_reach_the_people_of_the_thread_and_the_room_when_sent_there_too()
    {
        var (ada, grace, linus) = (await server.SignUpAsync("Ada Thread Wide"), await server.SignUpAsync("Grace Thread Wide"), await server.SignUpAsync("Linus Thread Wide"));
        var (slug, roomId) = await RoomWithAsync(ada, grace, linus);
        await using var a = await ada.JoinAsync(slug);
        await using var g = await grace.JoinAsync(slug);
        Assert.Contains("data-ack", await SendAsync(a, "the plan"));
        var root = (await MessagesAsync(roomId)).Single().Seq;
        Assert.Contains("data-ack", await SendAsync(g, "sounds good", parentSeq: root));
        await WithReadsAsync(r => r.MarkReadAsync(roomId, grace.Id, long.MaxValue));
        await WithReadsAsync(r => r.MarkReadAsync(roomId, linus.Id, long.MaxValue));

        Assert.Contains("data-ack", await SendAsync(a, "@room shipping it", parentSeq: root));
        var reply = (await MessagesAsync(roomId)).Single(m => m.Body == "@room shipping it");
        Assert.Equal((root, RoomMention.Room), (reply.ParentSeq!.Value, reply.RoomMention));
        Assert.Equal(new UnreadCount(1, 1), await UnreadAsync(roomId, grace)); // in the thread
        Assert.Equal(new UnreadCount(0, 0), await UnreadAsync(roomId, linus)); // not in it: the reply is not in his room

        Assert.Contains("data-ack", await SendAsync(g, "@room and everyone else", parentSeq: root, alsoToRoom: true));
        Assert.Equal(new UnreadCount(1, 1), await UnreadAsync(roomId, linus));
    }

    public sealed class Server() : ConfiguredServer(Limits);

    public sealed class PostgreSqlServer() : ChatterServer(TestDatabase.PostgreSql())
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => Limits;
    }

    public sealed class OnSqlite(Server server) : RoomWideMentionTests(server), IClassFixture<Server>;

    public sealed class OnPostgreSql(PostgreSqlServer server) : RoomWideMentionTests(server), IClassFixture<PostgreSqlServer>;
}

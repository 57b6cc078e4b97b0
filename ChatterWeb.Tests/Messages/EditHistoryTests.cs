using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Messages;

/// <summary>Edit history: each edit keeps the text it replaced; the room's readers see the versions, nobody else.</summary>
public abstract class EditHistoryTests(ChatterServer server)
{
    private async Task<string> NewRoomAsync(TestUser owner, RoomKind kind = RoomKind.Open) =>
        (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("History " + Guid.NewGuid().ToString("N")[..6], owner.Id, kind))).Slug;

    private async Task<long> PostAsync(TestUser who, string slug, string body)
    {
        await using var s = await who.JoinAsync(slug);
        var id = Guid.NewGuid().ToString();
        await s.SendMessageAsync(body, id);
        await s.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        return await server.WithDbAsync(db => db.Messages.Where(m => m.ClientMessageId == id).Select(m => m.Seq).SingleAsync());
    }

    private static async Task<HttpResponseMessage> EditAsync(TestUser who, string slug, long seq, string body)
    {
        var fields = new Dictionary<string, string>
        {
            ["body"] = body,
            ["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(await who.Http.GetStringAsync("/rooms")),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, MessageActions.EditPath(slug, seq)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("HX-Request", "true");
        return await who.Http.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> VersionsAsync(TestUser who, string slug, long seq, bool htmx = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, MessageActions.VersionsPath(slug, seq));
        if (htmx)
            request.Headers.Add("HX-Request", "true");
        return await who.Http.SendAsync(request);
    }

    private Task<Message> StoredAsync(string slug, long seq) =>
        server.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.Seq == seq && db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug)).SingleAsync());

    private Task<List<MessageVersion>> VersionsStoredAsync(long messageId) =>
        server.WithDbAsync(db => db.MessageVersions.AsNoTracking().Where(v => v.MessageId == messageId).OrderBy(v => v.Id).ToListAsync());

    [Fact]
    public async Task Each_edit_keeps_the_text_it_replaced_and_readers_of_the_room_see_the_versions()
    {
        var alice = await server.SignUpAsync("Alice");
        var bob = await server.SignUpAsync("Bob");
        var slug = await NewRoomAsync(alice);
        var seq = await PostAsync(alice, slug, "lunch at *noon*");
        var created = (await StoredAsync(slug, seq)).CreatedAt;

        // Not edited yet: no marker, and the versions page says nothing was kept.
        Assert.DoesNotContain("/versions\"", await bob.Http.GetStringAsync($"/rooms/{slug}"));
        Assert.Contains("No earlier version of this message was kept.", await (await VersionsAsync(bob, slug, seq)).Content.ReadAsStringAsync());

        await using var watching = await bob.JoinAsync(slug);
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(alice, slug, seq, "lunch at 12:30")).StatusCode);
        // The live change carries the marker, linked to the versions.
        var frame = await watching.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
        Assert.Contains($"<a class=\"edited\" href=\"{MessageActions.VersionsPath(slug, seq)}\"", frame);
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(alice, slug, seq, "lunch at 13:00, <b>sorry</b>")).StatusCode);
        // Saving the same text again is not an edit: nothing kept.
        Assert.Equal(HttpStatusCode.NoContent, (await EditAsync(alice, slug, seq, "lunch at 13:00, <b>sorry</b>")).StatusCode);

        var message = await StoredAsync(slug, seq);
        var versions = await VersionsStoredAsync(message.Id);
        Assert.Equal(new[] { "lunch at *noon*", "lunch at 12:30" }, versions.Select(v => v.Body));
        // A chain: each text was written when the one before it was replaced, the last replaced by the current one.
        Assert.Equal(created, versions[0].WrittenAt);
        Assert.Equal(versions[0].ReplacedAt, versions[1].WrittenAt);
        Assert.Equal(message.EditedAt, versions[1].ReplacedAt);

        // Bob reads the room: the page lists the current text and the earlier ones, newest first, formatted and encoded.
        var page = await VersionsAsync(bob, slug, seq);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.CacheControl?.NoStore, $"Cache-Control: {page.Headers.CacheControl}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>", html);
        Assert.Contains("&lt;b&gt;sorry&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>sorry</b>", html);
        var older = html.IndexOf("lunch at <em>noon</em>", StringComparison.Ordinal);
        var newer = html.IndexOf("lunch at 12:30", StringComparison.Ordinal);
        Assert.True(newer > 0 && older > newer, "the versions are listed newest first");
        Assert.Contains(MessageActions.PermalinkPath(slug, seq), html);

        // With htmx: the list alone, for under the message.
        var fragment = await (await VersionsAsync(bob, slug, seq, htmx: true)).Content.ReadAsStringAsync();
        Assert.StartsWith($"<section class=\"msg-versions\" id=\"versions-{seq}\"", fragment.TrimStart());
        Assert.DoesNotContain("<title>", fragment);
        Assert.Equal(2, fragment.Split("<li class=\"version\">").Length - 1);
        Assert.Contains("hx-disable", fragment);

        // The room page marks the message and links the versions.
        Assert.Contains($"href=\"{MessageActions.VersionsPath(slug, seq)}\"", await bob.Http.GetStringAsync($"/rooms/{slug}"));
    }

    [Fact]
    public async Task Someone_who_cannot_read_the_room_gets_404_and_a_deleted_message_keeps_no_versions()
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
        var seq = await PostAsync(owner, slug, "the launch is on the 12th");
        Assert.Equal(HttpStatusCode.OK, (await EditAsync(owner, slug, seq, "the launch is on the 14th")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await VersionsAsync(member, slug, seq)).StatusCode);
        foreach (var htmx in new[] { false, true })
        {
            var refused = await VersionsAsync(outsider, slug, seq, htmx);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain("12th", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await VersionsAsync(member, slug, 999_999)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await VersionsAsync(member, "no-such-room", seq)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await VersionsAsync(member, slug, 0)).StatusCode);

        // Removed from the room: no longer a reader.
        await server.WithDbAsync(db => db.Memberships.Where(m => m.UserId == member.Id && m.RoomId == roomId).ExecuteDeleteAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await VersionsAsync(member, slug, seq)).StatusCode);

        // Deleted: the earlier texts go with the text.
        var id = (await StoredAsync(slug, seq)).Id;
        Assert.Single(await VersionsStoredAsync(id));
        var delete = await ChatterServer.PostFormAsync(owner.Http, MessageActions.DeletePath(slug, seq), []);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
        Assert.Empty(await VersionsStoredAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, (await VersionsAsync(owner, slug, seq)).StatusCode);
    }

    [Fact]
    public async Task Concurrent_edits_leave_one_chain_in_which_no_text_is_lost_or_kept_twice()
    {
        var alice = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        var seq = await PostAsync(alice, slug, "draft 0");
        var texts = Enumerable.Range(1, 8).Select(i => $"draft {i}").ToList();

        var answers = await Task.WhenAll(texts.Select(t => EditAsync(alice, slug, seq, t)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        var message = await StoredAsync(slug, seq);
        var versions = await VersionsStoredAsync(message.Id);
        // Every text but the current one was replaced exactly once, whichever order the edits committed in.
        Assert.Equal(texts.Count, versions.Count);
        Assert.Equal(texts.Prepend("draft 0").Order(), versions.Select(v => v.Body).Append(message.Body).Order());
        Assert.Equal("draft 0", versions[0].Body);
        for (var i = 1; i < versions.Count; i++)
            Assert.Equal(versions[i - 1].ReplacedAt, versions[i].WrittenAt);
        Assert.Equal(message.EditedAt, versions[^1].ReplacedAt);
    }

    public sealed class OnSqlite(ChatterServer server) : EditHistoryTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : EditHistoryTests(server), IClassFixture<PostgreSqlChatterServer>;
}

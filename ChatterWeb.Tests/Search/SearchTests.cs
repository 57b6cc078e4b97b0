using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Search;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Search;

/// <summary>Search over the real FTS5 index: only rooms the user can read, never deleted messages, newest first, paged.</summary>
public abstract class SearchTests(ChatterServer server)
{
    private async Task<(string Slug, long Id)> NewRoomAsync(TestUser owner, RoomKind kind) =>
        await server.WithDbAsync(async db =>
        {
            var room = await new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("Search " + Guid.NewGuid().ToString("N")[..6], owner.Id, kind);
            return (room.Slug, room.Id);
        });

    private async Task PostAsync(TestUser who, string slug, string body)
    {
        await using var s = await who.JoinAsync(slug);
        await s.SendMessageAsync(body);
        await s.WaitForMessageAsync(body);
    }

    private static async Task<string> SearchAsync(TestUser who, string q, long? before = null)
    {
        var response = await who.Http.GetAsync($"/search?q={Uri.EscapeDataString(q)}" + (before is long b ? $"&before={b}" : ""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Search_never_returns_a_message_from_a_room_the_user_cannot_read_nor_a_deleted_one()
    {
        var owner = await server.SignUpAsync();
        var member = await server.SignUpAsync();
        var outsider = await server.SignUpAsync();
        var word = "zebra" + Guid.NewGuid().ToString("N")[..8];
        var open = await NewRoomAsync(owner, RoomKind.Open);
        var closed = await NewRoomAsync(owner, RoomKind.Closed);
        await server.WithDbAsync(async db =>
        {
            db.Memberships.Add(new Membership { RoomId = closed.Id, UserId = member.Id, JoinedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        await PostAsync(owner, open.Slug, $"open talk about {word} crossings");
        await PostAsync(owner, closed.Slug, $"private talk about {word} budgets");
        await PostAsync(owner, open.Slug, $"deleted talk about {word} secrets");
        var deletedSeq = await server.WithDbAsync(db => db.Messages.Where(m => m.Body.Contains("secrets")).Select(m => m.Seq).SingleAsync());
        var token = ChatterServer.AntiforgeryToken(await owner.Http.GetStringAsync("/rooms"));
        var delete = await owner.Http.PostAsync($"/rooms/{open.Slug}/messages/{deletedSeq}/delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);

        var asOutsider = await SearchAsync(outsider, word);
        Assert.Contains("crossings", asOutsider);
        Assert.DoesNotContain("budgets", asOutsider);
        Assert.DoesNotContain(closed.Slug, asOutsider);
        Assert.DoesNotContain("secrets", asOutsider);

        var asMember = await SearchAsync(member, word);
        Assert.Contains("crossings", asMember);
        Assert.Contains("budgets", asMember);
        Assert.Contains($"href=\"/rooms/{closed.Slug}/@1\"", asMember); // a result opens the room at the message
        Assert.DoesNotContain("secrets", asMember);

        // removed from the room: its messages vanish from their search at once
        await server.WithDbAsync(db => db.Memberships.Where(m => m.UserId == member.Id && m.RoomId == closed.Id).ExecuteDeleteAsync());
        Assert.DoesNotContain("budgets", await SearchAsync(member, word));
        // the service itself, not only the page
        await using var scope = server.Services.CreateAsyncScope();
        var direct = await scope.ServiceProvider.GetRequiredService<MessageSearch>().SearchAsync(outsider.Id, word, null);
        Assert.All(direct.Hits, h => Assert.NotEqual(closed.Slug, h.RoomSlug));
        Assert.Single(direct.Hits);
    }

    [Fact]
    public async Task Results_are_newest_first_highlighted_safely_and_paged_by_keyset()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice, RoomKind.Open);
        var word = "quokka" + Guid.NewGuid().ToString("N")[..6];
        await server.WithDbAsync(async db =>
        {
            for (var i = 1; i <= 45; i++)
                db.Messages.Add(new Message { RoomId = room.Id, Seq = i, AuthorId = alice.Id, Body = $"<b>{word}</b> number {i:D3} & more", ClientMessageId = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var first = await SearchAsync(alice, word.ToUpperInvariant());
        Assert.Contains($"&lt;b&gt;<mark>{word}</mark>&lt;/b&gt; number 045 &amp; more", first);
        Assert.DoesNotContain($"<b>{word}", first);
        Assert.True(first.IndexOf("number 045", StringComparison.Ordinal) < first.IndexOf("number 044", StringComparison.Ordinal));
        Assert.DoesNotContain("number 025", first);

        var pages = new List<string> { first };
        long? before = null;
        for (var page = first; ;)
        {
            var m = System.Text.RegularExpressions.Regex.Match(page, "before=(\\d+)\">More results");
            if (!m.Success)
                break;
            before = long.Parse(m.Groups[1].Value);
            page = await SearchAsync(alice, word, before);
            pages.Add(page);
        }
        Assert.Equal(3, pages.Count);
        var all = string.Join("", pages);
        for (var i = 1; i <= 45; i++)
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(all, $"number {i:D3}"));

        // prefix match, several words (all must match), and hostile query syntax is just words
        Assert.Contains("number <mark>007</mark>", await SearchAsync(alice, word[..^2] + " 007"));
        Assert.DoesNotContain("number 007", await SearchAsync(alice, word + " 008"));
        foreach (var hostile in new[] { "\"", "*", "NEAR(", "a OR", "') --", "%", "_", "[x]", "body:x", new string('x', 500) })
            await SearchAsync(alice, hostile);
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.Http.GetAsync("/search?q=x&before=0")).StatusCode);
    }

    [Fact]
    public async Task An_edit_is_searchable_by_its_new_words_only()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice, RoomKind.Open);
        var before = "walrus" + Guid.NewGuid().ToString("N")[..6];
        var after = "narwhal" + Guid.NewGuid().ToString("N")[..6];
        await PostAsync(alice, room.Slug, $"about {before}");
        var token = ChatterServer.AntiforgeryToken(await alice.Http.GetStringAsync("/rooms"));
        var edit = await alice.Http.PostAsync($"/rooms/{room.Slug}/messages/1/edit", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["body"] = $"about {after}" }));
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);
        Assert.Contains("No messages match", await SearchAsync(alice, before));
        Assert.Contains($"<mark>{after}</mark>", await SearchAsync(alice, after));
    }

    [Fact]
    public void Highlight_encodes_every_piece_and_marks_each_occurrence()
    {
        var html = MessageSearch.Highlight("<script>alert('Cat')</script> cat CAT", ["cat"]).ToString()!;
        Assert.Equal("&lt;script&gt;alert(&#x27;<mark>Cat</mark>&#x27;)&lt;/script&gt; <mark>cat</mark> <mark>CAT</mark>", html);
        Assert.Equal(["a", "b"], MessageSearch.Terms("  a \"b\" *** ()  a "));
    }

    public sealed class OnSqlite(ChatterServer server) : SearchTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : SearchTests(server), IClassFixture<PostgreSqlChatterServer>;

    /// <summary>As the login docs/OPERATIONS.md gives the app (data rights only) on a database its owner migrated.</summary>
    public sealed class OnPostgreSqlAsTheAppsLogin(PostgreSqlAppLoginServer server) : SearchTests(server), IClassFixture<PostgreSqlAppLoginServer>;
}

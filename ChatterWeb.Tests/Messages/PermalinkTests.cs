using System.Net;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Messages;

/// <summary><c>/rooms/{slug}/@{seq}</c>: the page around one message, with older and newer pages from there.</summary>
public abstract class PermalinkTests(ChatterServer server)
{
    private async Task<(string Slug, long RoomId)> RoomWithMessagesAsync(TestUser owner, int count, RoomKind kind = RoomKind.Open)
    {
        var room = await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateAsync("Links " + Guid.NewGuid().ToString("N")[..6], owner.Id, kind));
        await server.WithDbAsync(async db =>
        {
            for (var i = 1; i <= count; i++)
                db.Messages.Add(new Message { RoomId = room.Id, Seq = i, AuthorId = owner.Id, Body = $"message number {i}.", ClientMessageId = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow });
            await db.Rooms.Where(r => r.Id == room.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, count));
            return await db.SaveChangesAsync();
        });
        return (room.Slug, room.Id);
    }

    private static List<int> Seqs(string html) =>
        [.. System.Text.RegularExpressions.Regex.Matches(html, "<article [^>]*data-seq=\"(\\d+)\"").Select(m => int.Parse(m.Groups[1].Value))];

    [Fact]
    public async Task The_page_around_a_message_focuses_it_and_pages_both_ways()
    {
        var alice = await server.SignUpAsync();
        var (slug, _) = await RoomWithMessagesAsync(alice, 200);

        var page = await alice.Http.GetStringAsync($"/rooms/{slug}/@100");
        Assert.Contains("data-focus=\"100\"", page);
        Assert.Equal(Enumerable.Range(76, 50), Seqs(page));
        Assert.Contains($"/rooms/{slug}/messages?before=76", page);
        Assert.Contains($"/rooms/{slug}/messages?after=125", page);
        Assert.Contains($"href=\"/rooms/{slug}/@100\"", page); // every message links to itself
        Assert.Contains("class=\"room permalink can-moderate can-pin\"", page); // the room's creator may delete (and pin) any message here

        var bob = await server.SignUpAsync();
        var seen = await bob.Http.GetStringAsync($"/rooms/{slug}/@100");
        Assert.Contains("data-focus=\"100\"", seen);
        Assert.DoesNotContain("can-moderate", seen);

        using var newer = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{slug}/messages?after=125");
        newer.Headers.Add("HX-Request", "true");
        var more = await (await alice.Http.SendAsync(newer)).Content.ReadAsStringAsync();
        Assert.Equal(Enumerable.Range(126, 50), Seqs(more));
        Assert.Contains("id=\"newer\"", more);
        Assert.Contains("messages?after=175", more);

        using var last = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{slug}/messages?after=175");
        last.Headers.Add("HX-Request", "true");
        var end = await (await alice.Http.SendAsync(last)).Content.ReadAsStringAsync();
        Assert.Equal(Enumerable.Range(176, 25), Seqs(end));
        Assert.Contains("Open the live room", end);

        // near the start and the end of the room
        Assert.Equal(Enumerable.Range(1, 26), Seqs(await alice.Http.GetStringAsync($"/rooms/{slug}/@1")));
        var top = await alice.Http.GetStringAsync($"/rooms/{slug}/@200");
        Assert.Equal(Enumerable.Range(176, 25), Seqs(top));
        Assert.Contains("Open the live room", top);
        // plain (no-JS) forward page
        Assert.Equal(Enumerable.Range(151, 50), Seqs(await alice.Http.GetStringAsync($"/rooms/{slug}/messages?after=150")));
    }

    [Fact]
    public async Task Missing_messages_bad_cursors_and_unreadable_rooms_answer_404_or_400()
    {
        var owner = await server.SignUpAsync();
        var outsider = await server.SignUpAsync();
        var (slug, _) = await RoomWithMessagesAsync(owner, 5, RoomKind.Closed);

        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/rooms/{slug}/@3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/rooms/{slug}/@3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync($"/rooms/{slug}/messages?after=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/rooms/{slug}/@6")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/rooms/{slug}/@0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync($"/rooms/{slug}/@abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Http.GetAsync($"/rooms/{slug}/messages?after=-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.Http.GetAsync($"/rooms/{slug}/messages?after=1&before=3")).StatusCode);
    }

    public sealed class OnSqlite(ChatterServer server) : PermalinkTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : PermalinkTests(server), IClassFixture<PostgreSqlChatterServer>;
}

using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Messages;

/// <summary>Keyset paging on Seq, through the real page and the real query.</summary>
public class HistoryPagingTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    private static List<long> Seqs(string html) =>
        Regex.Matches(html, "<article class=\"msg\" id=\"m-(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value)).ToList();

    private async Task<(TestUser User, string Slug, long RoomId)> SeedAsync(int count)
    {
        var user = await server.SignUpAsync();
        var slug = "paging-" + Guid.NewGuid().ToString("N")[..8];
        var roomId = await server.WithDbAsync(async db =>
        {
            var room = new Room { Slug = slug, Name = slug, Kind = RoomKind.Open, LastSeq = count, CreatedAt = DateTimeOffset.UtcNow };
            db.Rooms.Add(room);
            await db.SaveChangesAsync();
            for (var i = 1; i <= count; i++)
                db.Messages.Add(new Message { RoomId = room.Id, Seq = i, AuthorId = user.Id, Body = $"message {i}", ClientMessageId = $"seed-{slug}-{i}", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            return room.Id;
        });
        return (user, slug, roomId);
    }

    [Fact]
    public async Task Walking_back_from_the_room_page_visits_every_message_once_in_order()
    {
        var (user, slug, _) = await SeedAsync(123);

        var page = await user.Http.GetStringAsync($"/rooms/{slug}");
        var all = Seqs(page);
        Assert.Equal(Enumerable.Range(74, 50).Select(i => (long)i), all);

        var pages = 1;
        while (Regex.Match(page, "hx-get=\"/rooms/[a-z0-9-]+/messages\\?before=(\\d+)\"") is { Success: true } next)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{slug}/messages?before={next.Groups[1].Value}");
            request.Headers.Add("HX-Request", "true");
            var response = await user.Http.SendAsync(request);
            page = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<html", page); // htmx gets the fragment only
            all.InsertRange(0, Seqs(page));
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Contains("This is the beginning of the room.", page);
        Assert.Equal(Enumerable.Range(1, 123).Select(i => (long)i), all);
    }

    [Fact]
    public async Task A_page_boundary_that_falls_exactly_on_50_ends_without_an_empty_page()
    {
        var (user, slug, _) = await SeedAsync(100);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{slug}/messages?before=51");
        request.Headers.Add("HX-Request", "true");
        var fragment = await (await user.Http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), Seqs(fragment));
        Assert.Contains("This is the beginning of the room.", fragment);
        Assert.DoesNotContain("Load older", fragment);
    }

    [Fact]
    public async Task Without_htmx_the_older_page_is_a_full_page_with_a_link_further_back()
    {
        var (user, slug, _) = await SeedAsync(60);
        var html = await user.Http.GetStringAsync($"/rooms/{slug}/messages?before=11");
        Assert.Contains("<html", html);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), Seqs(html));
    }

    [Fact]
    public async Task Paging_is_a_keyset_seek_on_room_and_seq_never_offset()
    {
        var sql = await server.WithDbAsync(db => Task.FromResult(
            db.Messages.Where(m => m.RoomId == 1 && m.Seq < 500).OrderByDescending(m => m.Seq).Take(51).ToQueryString()));
        Assert.DoesNotContain("OFFSET", sql, StringComparison.OrdinalIgnoreCase);

        var plan = await server.WithDbAsync(async db =>
        {
            var conn = db.Database.GetDbConnection();
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "EXPLAIN QUERY PLAN SELECT Seq FROM Messages WHERE RoomId = 1 AND Seq < 500 ORDER BY Seq DESC LIMIT 51";
            await using var reader = await cmd.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(reader.GetString(3));
            return string.Join("\n", rows);
        });
        Assert.Contains("IX_Messages_RoomId_Seq", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan); // no sort: the index gives the order
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Nonsense_cursors_are_a_clear_400(string before)
    {
        var (user, slug, _) = await SeedAsync(1);
        var response = await user.Http.GetAsync($"/rooms/{slug}/messages?before={before}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }
}

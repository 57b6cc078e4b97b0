using System.Text.RegularExpressions;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatterWeb.Tests.Messages;

/// <summary>Keyset paging on Seq, through the real page and the real query.</summary>
public abstract class HistoryPagingTests(ChatterServer server)
{
    private static List<long> Seqs(string html) =>
        Regex.Matches(html, "<article class=\"msg[^\"]*\" id=\"m-(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value)).ToList();

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

        if (server.Provider == DatabaseProvider.SqlServer)
            return; // its plan shape: Data/SqlServerQueryShapeTests
        if (server.Provider == DatabaseProvider.PostgreSql)
        {
            // the planner takes a scan of a small table when it may: the question is whether the index serves the query
            var pgPlan = await ExplainAsync("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; "
                + "EXPLAIN SELECT \"Seq\" FROM \"Messages\" WHERE \"RoomId\" = 1 AND \"Seq\" < 500 ORDER BY \"Seq\" DESC LIMIT 51");
            Assert.Contains("Scan Backward using \"IX_Messages_RoomId_Seq\"", pgPlan);
            Assert.DoesNotContain("Sort", pgPlan); // the index gives the order
            return;
        }
        var plan = await ExplainAsync("EXPLAIN QUERY PLAN SELECT Seq FROM Messages WHERE RoomId = 1 AND Seq < 500 ORDER BY Seq DESC LIMIT 51", column: 3);
        Assert.Contains("IX_Messages_RoomId_Seq", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan); // no sort: the index gives the order
    }

    /// <summary>The rows of a plan, in a transaction that is rolled back (SET LOCAL ends with it).</summary>
    private Task<string> ExplainAsync(string sql, int column = 0) => server.WithDbAsync(async db =>
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        var conn = db.Database.GetDbConnection();
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx.GetDbTransaction();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(column));
        return string.Join("\n", rows);
    });

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Nonsense_cursors_are_a_clear_400(string before)
    {
        var (user, slug, _) = await SeedAsync(1);
        var response = await user.Http.GetAsync($"/rooms/{slug}/messages?before={before}");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    public sealed class OnSqlite(ChatterServer server) : HistoryPagingTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : HistoryPagingTests(server), IClassFixture<PostgreSqlChatterServer>;
}

using ChatterWeb.Data;
using ChatterWeb.Data.PostgreSql;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using ChatterWeb.Tests.ScaleOut;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// What only PostgreSQL has, on a real server: search through the GIN index (case and accents
/// ignored, any text taken as plain words), and a transaction that loses a deadlock is run again.
/// The shared behaviour (paging, group commit, read marks, ...) is in the suites that run on every provider.
/// </summary>
public class PostgreSqlProviderTests(PostgreSqlChatterServer server) : IClassFixture<PostgreSqlChatterServer>
{
    private PostgreSqlTestDatabase Database => (PostgreSqlTestDatabase)server.Database;

    private async Task<(TestUser Alice, RoomInfo Room)> RoomAsync()
    {
        var alice = await server.SignUpAsync();
        var room = await server.WithDbAsync(db => new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Pg " + Guid.NewGuid().ToString("N")[..6], alice.Id));
        return (alice, room);
    }

    private async Task PostAsync(TestUser who, string slug, params string[] bodies)
    {
        await using var socket = await who.JoinAsync(slug);
        foreach (var body in bodies)
        {
            var id = Guid.NewGuid().ToString();
            await socket.SendMessageAsync(body, id);
            await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        }
    }

    private async Task<List<string>> MatchAsync(long roomId, params string[] terms)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageMatches>().Matching(terms)
            .Where(m => m.RoomId == roomId).OrderBy(m => m.Seq).Select(m => m.Body).ToListAsync();
    }

    [Fact]
    public void The_provider_is_chosen_by_its_name_in_any_case()
    {
        foreach (var name in new[] { "PostgreSQL", "postgresql", "PostgreSql" })
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Chatter:Database:Provider"] = name,
                ["ConnectionStrings:Chatter"] = "Host=none.invalid;Database=chatter",
            });
            builder.AddChatterWeb();
            using var app = builder.Build();
            using var scope = app.Services.CreateScope();
            Assert.IsType<PostgreSqlChatterDbContext>(scope.ServiceProvider.GetRequiredService<ChatterDbContext>());
            Assert.IsType<PostgreSqlMessageRows>(scope.ServiceProvider.GetRequiredService<IMessageRows>());
        }
    }

    [Fact]
    public async Task Search_matches_every_term_as_a_prefix_ignoring_case_and_accents()
    {
        var (alice, room) = await RoomAsync();
        await PostAsync(alice, room.Slug, "Crème brûlée at the CAFÉ", "plain cafeteria talk", "Straße und Größe", "nothing here");

        Assert.Equal(["Crème brûlée at the CAFÉ"], await MatchAsync(room.Id, "creme", "BRUL"));
        Assert.Equal(["Crème brûlée at the CAFÉ", "plain cafeteria talk"], await MatchAsync(room.Id, "café"));
        Assert.Equal(["Straße und Größe"], await MatchAsync(room.Id, "grosse"));
        Assert.Empty(await MatchAsync(room.Id, "creme", "cafeteria")); // every term, not any
        Assert.Empty(await MatchAsync(room.Id, "rulee")); // a prefix of a word, not any part of it
    }

    [Fact]
    public async Task A_search_term_is_plain_words_whatever_characters_it_holds()
    {
        var (alice, room) = await RoomAsync();
        await PostAsync(alice, room.Slug, "don't stop", @"a back\slash here", "e-mail me");

        Assert.Equal(["don't stop"], await MatchAsync(room.Id, "don't"));
        Assert.Equal([@"a back\slash here"], await MatchAsync(room.Id, @"back\slash"));
        Assert.Equal(["e-mail me"], await MatchAsync(room.Id, "e-mail"));
        // tsquery operators in a term are text, not syntax: no error, and no match
        foreach (var term in new[] { "a&b", "x|y", "!not", "(paren", "stop:*", "don <-> t", "''", "\\'", "a:B" })
            Assert.Empty(await MatchAsync(room.Id, term, "nowhere"));
    }

    [Fact]
    public async Task Search_is_served_by_the_GIN_index_on_the_body()
    {
        var plan = await server.WithDbAsync(async db =>
        {
            var matches = new PostgreSqlMessageMatches(db).Matching(["creme", "brul"]).Select(m => m.Id);
            await using var tx = await db.Database.BeginTransactionAsync();
            await using var command = matches.CreateDbCommand(); // the very SQL and parameters the app sends
            command.Transaction = (NpgsqlTransaction)tx.GetDbTransaction();
            command.CommandText = "SET LOCAL enable_seqscan = off; EXPLAIN " + command.CommandText;
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
                rows.Add(reader.GetString(0));
            return string.Join("\n", rows);
        });

        Assert.Contains("Bitmap Index Scan on \"IX_Messages_Search\"", plan);
    }

    [Fact]
    public async Task A_send_whose_transaction_loses_a_deadlock_is_run_again_and_stored_once_without_a_gap()
    {
        var (alice, room) = await RoomAsync();
        await using var socket = await alice.JoinAsync(room.Slug);
        var deadlocksBefore = await DeadlocksAsync();

        // Another transaction holds the sender's user row (the new message's foreign key needs a share
        // lock on it) and will then want the room's row, which the writer's transaction holds by then.
        await using var other = new NpgsqlConnection(Database.ConnectionString + ";Pooling=false");
        await other.OpenAsync();
        await using var tx = await other.BeginTransactionAsync();
        await ExecuteAsync(other, "SET LOCAL deadlock_timeout = '60s'"); // so the writer, not this one, finds the deadlock and is its victim
        await ExecuteAsync(other, $"SELECT 1 FROM \"AspNetUsers\" WHERE \"Id\" = '{alice.Id}' FOR UPDATE");

        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync("through a deadlock", id);
        await UntilAWriterWaitsForALockAsync();
        // the cycle: this waits for the writer's room row while the writer waits for the user row; the
        // writer's deadlock check (after 1 s) aborts its transaction, which releases the room row to this
        await ExecuteAsync(other, $"UPDATE \"Rooms\" SET \"Name\" = \"Name\" WHERE \"Id\" = {room.Id}");
        await tx.RollbackAsync(); // the writer's second run gets both rows

        var ack = await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\"") || f.Contains("composer-status") && f.Contains("error"));
        Assert.Contains($"data-ack=\"{id}\"", ack);
        Assert.Equal([1L], await server.WithDbAsync(db => db.Messages.Where(m => m.RoomId == room.Id).Select(m => m.Seq).ToListAsync()));
        Assert.Equal(1, await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync()));
        // it was a deadlock PostgreSQL broke (statistics are flushed within about a second)
        await Cluster.EventuallyAsync(async () => await DeadlocksAsync() > deadlocksBefore, "pg_stat_database counts the deadlock");
    }

    private async Task UntilAWriterWaitsForALockAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{Database.Name}' AND wait_event_type = 'Lock'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the writer never waited for the held row");
            await Task.Delay(5);
        }
    }

    private Task<long> DeadlocksAsync() => ScalarAsync<long>($"SELECT deadlocks FROM pg_stat_database WHERE datname = '{Database.Name}'");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

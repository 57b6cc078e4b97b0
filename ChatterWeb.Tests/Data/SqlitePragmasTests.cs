using ChatterWeb.Tests.Infrastructure;
using ChatterWeb.Tests.ScaleOut;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// synchronous=NORMAL is per connection in SQLite: every connection EF hands out must have it,
/// including pooled ones coming back (the pragma runs once per native connection, not per query).
/// </summary>
public class SqlitePragmasTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    [Fact]
    public async Task Every_connection_EF_opens_runs_with_synchronous_NORMAL()
    {
        for (var i = 0; i < 5; i++)
        {
            var (synchronous, journal) = await server.WithDbAsync(async db =>
            {
                await db.Database.OpenConnectionAsync();
                try
                {
                    await using var command = db.Database.GetDbConnection().CreateCommand();
                    command.CommandText = "PRAGMA synchronous";
                    var sync = (long)(await command.ExecuteScalarAsync())!;
                    command.CommandText = "PRAGMA busy_timeout";
                    Assert.Equal(3000L, (long)(await command.ExecuteScalarAsync())!); // SQLite's own short waits for the write lock, not the driver's long sleeps
                    command.CommandText = "PRAGMA wal_autocheckpoint";
                    Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!); // the checkpointer service does it
                    command.CommandText = "PRAGMA journal_size_limit";
                    Assert.Equal(64L * 1024 * 1024, (long)(await command.ExecuteScalarAsync())!); // a WAL that grew while a reader held checkpoints back is cut back when it starts over
                    command.CommandText = "PRAGMA journal_mode";
                    return (sync, (string)(await command.ExecuteScalarAsync())!);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
            });
            Assert.Equal(1L, synchronous); // 1 = NORMAL (the default is 2 = FULL)
            Assert.Equal("wal", journal);
        }
    }

    [Fact]
    public async Task Checkpoints_run_in_the_background_and_keep_the_WAL_short()
    {
        // No commit checkpoints (wal_autocheckpoint=0): without the background checkpointer the WAL
        // would hold every write of the test; with it, it is reused from the start about once a second.
        var checkpointer = server.Services.GetRequiredService<ChatterWeb.Data.Sqlite.SqliteCheckpointer>();
        var alice = await server.SignUpAsync();
        var room = await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Wal " + Guid.NewGuid().ToString("N")[..6], alice.Id));
        var wal = new FileInfo(server.DatabasePath + "-wal");
        var seq = 0;
        long firstRound = 0, largest = 0;
        for (var round = 0; round < 8; round++)
        {
            var before = checkpointer.Completed;
            await server.WithDbAsync(async db =>
            {
                for (var i = 0; i < 300; i++)
                    db.Messages.Add(new ChatterWeb.Data.Message { RoomId = room.Id, Seq = ++seq, AuthorId = alice.Id, Body = new string('x', 500), ClientMessageId = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow });
                return await db.SaveChangesAsync();
            });
            wal.Refresh();
            if (round == 0)
                firstRound = wal.Length;
            largest = Math.Max(largest, wal.Length);
            await Cluster.EventuallyAsync(() => Task.FromResult(checkpointer.Completed > before), "a background checkpoint after the round");
        }
        Assert.True(firstRound > 100_000, $"one round of writes is in the WAL ({firstRound} bytes)");
        Assert.True(largest < 4 * firstRound, $"the WAL stays about one round long: largest {largest} bytes, one round {firstRound} (8 rounds written)");
    }
}

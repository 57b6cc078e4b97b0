using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ChatterWeb.Tests.ScaleOut;

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
                    command.CommandText = "PRAGMA wal_autocheckpoint";
                    Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!); // the checkpointer service does it
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
        var checkpointer = server.Services.GetRequiredService<ChatterWeb.Data.SqliteCheckpointer>();
        var alice = await server.SignUpAsync();
        var room = await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Wal " + Guid.NewGuid().ToString("N")[..6], alice.Id));
        await server.WithDbAsync(async db =>
        {
            for (var seq = 1; seq <= 2000; seq++)
                db.Messages.Add(new ChatterWeb.Data.Message { RoomId = room.Id, Seq = seq, AuthorId = alice.Id, Body = new string('x', 500), ClientMessageId = Guid.NewGuid().ToString(), CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        var before = checkpointer.Completed;
        var wal = server.DatabasePath + "-wal";
        var grown = new FileInfo(wal).Length;
        Assert.True(grown > 1_000_000, $"the WAL holds the writes ({grown} bytes)"); // no commit checkpointed it

        await Cluster.EventuallyAsync(() => Task.FromResult(checkpointer.Completed >= before + 2), "two background checkpoints");
        // Checkpointed: the next write starts the WAL over from its beginning instead of growing it.
        await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == room.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.LastSeq, 2000)));
        await using var check = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={server.DatabasePath}");
        await check.OpenAsync();
        await using var command = check.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetInt64(1) < 100, $"WAL frames after the background checkpoint: {reader.GetInt64(1)}"); // log frames now: only the last write
    }
}

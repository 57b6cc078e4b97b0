using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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
}

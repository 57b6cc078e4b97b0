using ChatterWeb.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Tests.Data;

/// <summary>Start-up against a database that other instances share.</summary>
public sealed class DatabaseInitializerTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"chatter-init-{Guid.NewGuid():N}.db");

    /// <summary>Seeds the first room through its own context just before the initializer's insert: the other replica won the race.</summary>
    private sealed class OtherReplicaSeedsFirst(string connectionString) : SaveChangesInterceptor
    {
        public int Raced { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Raced++ == 0)
            {
                await using var other = new SqliteChatterDbContext(new DbContextOptionsBuilder<SqliteChatterDbContext>().UseSqlite(connectionString).Options);
                other.Rooms.Add(new Room { Slug = DatabaseInitializer.FirstRoomSlug, Name = "General", Kind = RoomKind.Open, CreatedAt = DateTimeOffset.UtcNow });
                await other.SaveChangesAsync(cancellationToken);
            }
            return result;
        }
    }

    [Fact]
    public async Task An_instance_that_loses_the_race_to_seed_the_first_room_still_starts()
    {
        var connectionString = $"Data Source={_file}";
        var race = new OtherReplicaSeedsFirst(connectionString);
        var services = new ServiceCollection();
        services.AddDbContext<SqliteChatterDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(race));
        services.AddScoped<ChatterDbContext>(sp => sp.GetRequiredService<SqliteChatterDbContext>());
        await using var provider = services.BuildServiceProvider();

        var initializer = new DatabaseInitializer(
            provider.GetRequiredService<IServiceScopeFactory>(), Options.Create(new DatabaseOptions()), TimeProvider.System, NullLogger<DatabaseInitializer>.Instance);
        await initializer.StartAsync(CancellationToken.None);

        Assert.Equal(1, race.Raced);
        await using var scope = provider.CreateAsyncScope();
        var rooms = await scope.ServiceProvider.GetRequiredService<ChatterDbContext>().Rooms.Select(r => r.Slug).ToListAsync();
        Assert.Equal([DatabaseInitializer.FirstRoomSlug], rooms);
    }

    public void Dispose()
    {
        SqliteConnection.ClearPool(new SqliteConnection($"Data Source={_file}")); // this file's pool only
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            File.Delete(_file + suffix);
    }
}

using ChatterWeb.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// SQLite's busy writers take turns in the process (one waits without sleeping until the other hands
/// its turn on, in the order they asked); on a server database nobody waits.
/// </summary>
public sealed class WriteTurnsTests
{
    [Fact]
    public async Task One_at_a_time_the_next_writer_gets_its_turn_when_the_holder_hands_it_on_in_the_order_asked()
    {
        var turns = new WriteTurns(oneAtATime: true);
        var first = await turns.TakeAsync();
        var second = turns.TakeAsync().AsTask();
        var third = turns.TakeAsync().AsTask();
        Assert.False(second.IsCompleted); // a SemaphoreSlim answers at once when free: this one waits
        Assert.False(third.IsCompleted);

        first.Dispose();
        (await second).Dispose();
        (await third).Dispose();
        using var again = await turns.TakeAsync(); // every turn was handed back
    }

    [Fact]
    public async Task A_writer_that_gives_up_waiting_does_not_take_the_turn_from_the_next()
    {
        var turns = new WriteTurns(oneAtATime: true);
        var holder = await turns.TakeAsync();
        using var cancel = new CancellationTokenSource();
        var impatient = turns.TakeAsync(cancel.Token).AsTask();
        var patient = turns.TakeAsync().AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);

        holder.Dispose();
        (await patient).Dispose();
    }

    [Fact]
    public async Task On_a_server_database_nobody_waits()
    {
        var first = await WriteTurns.Concurrent.TakeAsync();
        var second = WriteTurns.Concurrent.TakeAsync();
        Assert.True(second.IsCompletedSuccessfully);
        first.Dispose();
        (await second).Dispose();
    }

    [Fact]
    public void Each_provider_registers_its_kind_of_turns()
    {
        var sqlite = new ServiceCollection();
        ChatterWeb.Data.Sqlite.SqliteProvider.AddSqliteDatabase(sqlite, "Data Source=:memory:", Path.GetTempPath());
        var postgres = new ServiceCollection();
        ChatterWeb.Data.PostgreSql.PostgreSqlProvider.AddPostgreSqlDatabase(postgres, "Host=127.0.0.1;Database=none");
        var sqlServer = new ServiceCollection();
        ChatterWeb.Data.SqlServer.SqlServerProvider.AddSqlServerDatabase(sqlServer, "Server=127.0.0.1;Database=none");
        Assert.NotSame(WriteTurns.Concurrent, Turns(sqlite));
        Assert.Same(WriteTurns.Concurrent, Turns(postgres));
        Assert.Same(WriteTurns.Concurrent, Turns(sqlServer));

        static WriteTurns Turns(IServiceCollection services) =>
            (WriteTurns)services.Single(d => d.ServiceType == typeof(WriteTurns)).ImplementationInstance!;
    }
}

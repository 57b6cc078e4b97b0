using System.Diagnostics;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Delivery;

/// <summary>A short post timeout, so a database that stops answering is reported quickly.</summary>
public class ShortTimeoutServer : ChatterServer
{
    public ShortTimeoutServer() : this(null)
    {
    }

    protected ShortTimeoutServer(TestDatabase? database) : base(database)
    {
    }

    /// <summary>The same on a fresh PostgreSQL database.</summary>
    public sealed class OnPostgreSql() : ShortTimeoutServer(TestDatabase.PostgreSql());

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Chatter:Realtime:PostTimeout", "00:00:02")];
}

/// <summary>Nothing acknowledged is lost, nothing is shown twice, nothing unstored is shown.</summary>
public abstract class DeliveryTests(ShortTimeoutServer server)
{
    private async Task<string> NewRoomAsync(TestUser user) =>
        (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Delivery " + Guid.NewGuid().ToString("N")[..6], user.Id))).Slug;

    [Fact]
    public async Task A_resend_after_reconnect_is_acknowledged_again_and_shown_once()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        await using var b = await bob.JoinAsync(slug);
        var id = Guid.NewGuid().ToString();

        await using (var first = await alice.JoinAsync(slug))
        {
            await first.SendMessageAsync("sent before the network dropped", id);
            await first.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        }
        // htmx-ext-ws's queue resends the same frame on the new socket
        await using var second = await alice.JoinAsync(slug);
        await second.SendMessageAsync("sent before the network dropped", id);
        await second.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        await second.SendMessageAsync("marker");
        await b.WaitForMessageAsync("marker");

        Assert.Single(b.Seen, f => f.Contains("sent before the network dropped"));
        Assert.Equal(1, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ClientMessageId == id)));
    }

    [Fact]
    public async Task When_the_database_cannot_store_a_send_the_sender_is_told_within_seconds_and_nothing_is_broadcast()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await NewRoomAsync(alice);
        await using var a = await alice.JoinAsync(slug);
        await using var b = await bob.JoinAsync(slug);
        var id = Guid.NewGuid().ToString();

        // Another connection takes the write lock (SQLite) or the room's row (a server) and holds it:
        // the write waits its bounded time (SQLite's busy timeout, PostgreSQL's lock_timeout), then fails.
        var roomId = await server.RoomIdAsync(slug);
        await using (await server.Database.HoldWritesAsync(roomId))
        {
            var clock = Stopwatch.StartNew();
            await a.SendMessageAsync("this one cannot be stored", id);
            var error = await a.WaitForAsync(f => f.Contains("composer-status") && f.Contains("error"), TimeSpan.FromSeconds(8));
            Assert.Contains("could not be saved", error);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(6));
        }

        Assert.DoesNotContain(b.Seen, f => f.Contains("cannot be stored"));
        Assert.DoesNotContain(a.Seen, f => f.Contains($"data-ack=\"{id}\""));
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ClientMessageId == id)));

        // the database is back: the user's retry of the same send is stored and shown once
        await a.SendMessageAsync("this one cannot be stored", id);
        await b.WaitForMessageAsync("this one cannot be stored");
        await a.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
        Assert.Equal(1, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.ClientMessageId == id)));
        var lastSeq = await server.WithDbAsync(db => db.Rooms.Where(r => r.Slug == slug).Select(r => r.LastSeq).SingleAsync());
        Assert.Equal(1, lastSeq); // the failed attempt left no gap
    }

    public sealed class OnSqlite(ShortTimeoutServer server) : DeliveryTests(server), IClassFixture<ShortTimeoutServer>;

    public sealed class OnPostgreSql(ShortTimeoutServer.OnPostgreSql server) : DeliveryTests(server), IClassFixture<ShortTimeoutServer.OnPostgreSql>;
}

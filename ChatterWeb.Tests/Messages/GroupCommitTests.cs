using System.Diagnostics.Metrics;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Metrics;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Messages;

/// <summary>
/// The writer commits what is waiting in one transaction: messages that queue behind a held write
/// lock go in together, with consecutive Seqs, published in Seq order, each acknowledged after the commit.
/// </summary>
public abstract class GroupCommitTests(ChatterServer server)
{
    private async Task<RoomInfo> NewRoomAsync(TestUser creator) =>
        await server.WithDbAsync(db => new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Batch " + Guid.NewGuid().ToString("N")[..6], creator.Id));

    private async Task<PostMessageResult> PostAsync(RoomInfo room, TestUser user, string body, string? clientMessageId = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PostMessageHandler>()
            .HandleAsync(new PostMessage(room, user.Id, user.DisplayName, body, clientMessageId ?? Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task Messages_queued_behind_the_write_lock_are_committed_together_in_order()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        await using var watcher = await bob.JoinAsync(room.Slug);

        var batches = new List<int>();
        using var listener = new MeterListener();
        var meters = server.Services.GetRequiredService<IMeterFactory>(); // this server's meter, not another test class's
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ChatterMetrics.MeterName && instrument.Meter.Scope == meters && instrument.Name == "chatter.messages.batch_size")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, size, _, _) => { lock (batches) batches.Add(size); });
        listener.Start();

        // Another connection holds the write lock (SQLite) or the room's row (a server) for a moment:
        // the first message waits for it, the rest queue behind it in the writer.
        var resent = Guid.NewGuid().ToString();
        Task<PostMessageResult>[] posts;
        await using (await server.Database.HoldWritesAsync(room.Id))
        {
            posts = [.. Enumerable.Range(0, 30).Select(i => PostAsync(room, i % 2 == 0 ? alice : bob, $"batched {i}", i == 29 ? resent : null))];
            await Task.Delay(400);
            // the same send twice while queued: stored once
            posts = [.. posts, PostAsync(room, bob, "batched 29", resent)];
            await Task.Delay(400);
        }
        var results = (await Task.WhenAll(posts)).Cast<PostMessageResult.Stored>().ToList();

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), results.Take(30).Select(r => r.Message.Seq).Order());
        Assert.Equal(results[29].Message.Seq, results[30].Message.Seq);
        Assert.Single(results, r => r.Duplicate);
        Assert.Equal(30, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
        Assert.Equal(30, await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync()));

        // what was queued when the writer looked went in together: a few transactions, not 30
        lock (batches)
        {
            Assert.Equal(30, batches.Sum());
            Assert.True(batches.Count <= 3, $"batches: {string.Join(",", batches)}");
        }

        // published in Seq order: the watching socket sees 1..30 in order, each once
        await watcher.WaitForMessageAsync("batched 29");
        var seen = watcher.Seen.Where(f => f.Contains("<article")).Select(f => long.Parse(System.Text.RegularExpressions.Regex.Match(f, "data-seq=\"(\\d+)\"").Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Posts_to_several_rooms_in_one_batch_each_take_their_own_room_seqs()
    {
        var alice = await server.SignUpAsync();
        var first = await NewRoomAsync(alice);
        var second = await NewRoomAsync(alice);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();

        var stored = await MessageWriter.StoreBatchAsync(db, scope.ServiceProvider.GetRequiredService<IMessageRows>(),
        [
            new NewMessage(first, alice.Id, alice.DisplayName, "one", Guid.NewGuid().ToString()),
            new NewMessage(second, alice.Id, alice.DisplayName, "two", Guid.NewGuid().ToString()),
            new NewMessage(first, alice.Id, alice.DisplayName, "three", Guid.NewGuid().ToString()),
        ], DateTimeOffset.UtcNow);

        Assert.Equal([1L, 1L, 2L], stored.Select(s => s!.Value.Message.Seq));
        Assert.All(stored, s => Assert.False(s!.Value.Duplicate));
    }

    [Fact]
    public async Task A_message_its_sender_withdrew_before_the_write_is_never_stored()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        var withdrawn = Guid.NewGuid().ToString();

        var stored = await MessageWriter.StoreBatchAsync(db, scope.ServiceProvider.GetRequiredService<IMessageRows>(),
        [
            new NewMessage(room, alice.Id, alice.DisplayName, "kept", Guid.NewGuid().ToString()),
            new NewMessage(room, alice.Id, alice.DisplayName, "withdrawn", withdrawn),
            new NewMessage(room, alice.Id, alice.DisplayName, "kept too", Guid.NewGuid().ToString()),
        ], DateTimeOffset.UtcNow, claim: i => i != 1);

        Assert.Null(stored[1]);
        Assert.Equal([1L, 2L], new[] { stored[0]!.Value.Message.Seq, stored[2]!.Value.Message.Seq }); // no gap where it would have been
        Assert.Equal(0, await server.WithDbAsync(d => d.Messages.CountAsync(m => m.ClientMessageId == withdrawn)));
    }
    [Fact]
    public async Task A_batch_refuses_the_messages_of_an_archived_room_and_stores_the_rest()
    {
        var alice = await server.SignUpAsync();
        var archivedRoom = await NewRoomAsync(alice);
        var open = await NewRoomAsync(alice);
        await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == archivedRoom.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ArchivedAt, DateTimeOffset.UtcNow)));
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        var twice = Guid.NewGuid().ToString();
        var archived = new HashSet<int>();

        var stored = await MessageWriter.StoreBatchAsync(db, scope.ServiceProvider.GetRequiredService<IMessageRows>(),
        [
            new NewMessage(archivedRoom, alice.Id, alice.DisplayName, "too late", twice),
            new NewMessage(open, alice.Id, alice.DisplayName, "fine", Guid.NewGuid().ToString()),
            new NewMessage(archivedRoom, alice.Id, alice.DisplayName, "too late", twice), // the same send twice: refused like the first
            new NewMessage(open, alice.Id, alice.DisplayName, "fine too", Guid.NewGuid().ToString()),
        ], DateTimeOffset.UtcNow, archived: archived);

        Assert.Equal([0, 2], archived.Order());
        Assert.Null(stored[0]);
        Assert.Null(stored[2]);
        Assert.Equal([1L, 2L], new[] { stored[1]!.Value.Message.Seq, stored[3]!.Value.Message.Seq });
        Assert.Equal(0, await server.WithDbAsync(d => d.Messages.CountAsync(m => m.RoomId == archivedRoom.Id)));
        Assert.Equal(0, await server.WithDbAsync(d => d.Rooms.Where(r => r.Id == archivedRoom.Id).Select(r => r.LastSeq).SingleAsync())); // no seq taken

        // through the writer's queue, as every way in posts: the sender hears "archived"; the open room is untouched
        var refused = await PostAsync(archivedRoom, alice, "through the writer");
        Assert.IsType<PostMessageResult.Archived>(refused);
        Assert.IsType<PostMessageResult.Stored>(await PostAsync(open, alice, "still open"));
        Assert.Equal(0, await server.WithDbAsync(d => d.Messages.CountAsync(m => m.RoomId == archivedRoom.Id)));
    }

    [Fact]
    public async Task A_batch_is_stored_exactly_as_EF_stores_a_message_and_a_resent_one_is_refused_as_EF_refuses_it()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        // within the SQLite converter's precision (1,000 ticks) and PostgreSQL's (microseconds); an offset
        // where the converter keeps one (SQLite), UTC where the column only takes UTC (PostgreSQL's timestamptz)
        var now = new DateTimeOffset(2026, 12, 3, 21, 40, 12, 345, server.Provider == DatabaseProvider.Sqlite ? TimeSpan.FromHours(1) : TimeSpan.Zero).AddTicks(6000);
        var word = "plain" + Guid.NewGuid().ToString("N")[..8];
        var resent = Guid.NewGuid().ToString();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();

        var stored = await MessageWriter.StoreBatchAsync(db, scope.ServiceProvider.GetRequiredService<IMessageRows>(),
        [
            new NewMessage(room, alice.Id, alice.DisplayName, $"first {word}", resent, Mentions: alice.Id),
            new NewMessage(room, alice.Id, alice.DisplayName, "second", Guid.NewGuid().ToString()),
        ], now);
        Assert.Equal([1L, 2L], stored.Select(s => s!.Value.Message.Seq));
        Assert.Empty(db.ChangeTracker.Entries<Message>()); // written as a plain command: EF's SaveChanges leaves its rows tracked

        // the same kind of row written by EF itself, for the raw column values
        db.ChangeTracker.Clear();
        db.Messages.Add(new Message { RoomId = room.Id, Seq = 99, AuthorId = alice.Id, Body = "by EF", ClientMessageId = Guid.NewGuid().ToString(), CreatedAt = now });
        await db.SaveChangesAsync();

        var rows = await server.WithDbAsync(d => d.Messages.AsNoTracking().Where(m => m.RoomId == room.Id).OrderBy(m => m.Seq).ToListAsync());
        Assert.Equal(["first " + word, "second", "by EF"], rows.Select(r => r.Body));
        Assert.All(rows, r => Assert.Equal(now, r.CreatedAt));
        Assert.All(rows, r => Assert.Equal(alice.Id, r.AuthorId));
        Assert.All(rows, r => Assert.Equal(0, r.ChangeSeq));
        Assert.All(rows, r => Assert.Null(r.EditedAt));
        Assert.All(rows, r => Assert.Null(r.DeletedAt));
        Assert.Equal([alice.Id, null, null], rows.Select(r => r.Mentions));
        Assert.Equal(resent, rows[0].ClientMessageId);
        if (server.Provider == DatabaseProvider.Sqlite)
        {
            var rawCreatedAt = await server.WithDbAsync(d => d.Database
                .SqlQuery<long>($"SELECT \"CreatedAt\" AS \"Value\" FROM \"Messages\" WHERE \"RoomId\" = {room.Id} ORDER BY \"Seq\"").ToListAsync());
            Assert.Single(rawCreatedAt.Distinct()); // byte for byte what EF writes
        }
        // the search index saw the row (SQLite: the FTS table's trigger; PostgreSQL: the GIN expression index)
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<IMessageMatches>().Matching([word]).CountAsync());

        // a resend in a later batch: the statement is refused as EF refuses it (the writer then goes one by one)
        db.ChangeTracker.Clear();
        await Assert.ThrowsAsync<DbUpdateException>(() => MessageWriter.StoreBatchAsync(db, scope.ServiceProvider.GetRequiredService<IMessageRows>(),
        [
            new NewMessage(room, alice.Id, alice.DisplayName, "new", Guid.NewGuid().ToString()),
            new NewMessage(room, alice.Id, alice.DisplayName, "first again", resent),
        ], now));
        Assert.Equal(3, await server.WithDbAsync(d => d.Messages.CountAsync(m => m.RoomId == room.Id))); // nothing of the refused batch
        Assert.Equal(2, await server.WithDbAsync(d => d.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync())); // nor its seqs
    }

    public sealed class OnSqlite(ChatterServer server) : GroupCommitTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : GroupCommitTests(server), IClassFixture<PostgreSqlChatterServer>;
}

using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Messages;

/// <summary>The real handler against a real SQLite file: Seq assignment, idempotency, no partial writes.</summary>
public abstract class PostMessageHandlerTests(ChatterServer server)
{
    private async Task<RoomInfo> NewRoomAsync(TestUser creator) =>
        await server.WithDbAsync(async db =>
        {
            var rooms = new RoomDirectory(db, TimeProvider.System);
            return await rooms.CreateOpenAsync("Seq test " + Guid.NewGuid().ToString("N")[..6], creator.Id);
        });

    private async Task<PostMessageResult> PostAsync(RoomInfo room, TestUser user, string? body, string? clientMessageId = null)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<PostMessageHandler>();
        return await handler.HandleAsync(new PostMessage(room, user.Id, user.DisplayName, body, clientMessageId ?? Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task Concurrent_posts_to_one_room_get_consecutive_seqs_without_gaps_or_duplicates()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);

        const int perUser = 60;
        var posts = Enumerable.Range(0, perUser).SelectMany(i => new[]
        {
            Task.Run(() => PostAsync(room, alice, $"a{i}")),
            Task.Run(() => PostAsync(room, bob, $"b{i}")),
        });
        var results = await Task.WhenAll(posts);

        var seqs = results.Cast<PostMessageResult.Stored>().Select(r => r.Message.Seq).Order().ToList();
        Assert.Equal(Enumerable.Range(1, perUser * 2).Select(i => (long)i), seqs);

        var stored = await server.WithDbAsync(db => db.Messages.Where(m => m.RoomId == room.Id).OrderBy(m => m.Seq).Select(m => m.Seq).ToListAsync());
        Assert.Equal(seqs, stored);
        var lastSeq = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync());
        Assert.Equal(perUser * 2, lastSeq);
    }

    [Fact]
    public async Task A_resend_with_the_same_client_message_id_is_stored_once()
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        var id = Guid.NewGuid().ToString();

        var first = Assert.IsType<PostMessageResult.Stored>(await PostAsync(room, alice, "only once", id));
        var again = Assert.IsType<PostMessageResult.Stored>(await PostAsync(room, alice, "only once", id));
        // and a burst of the same resend racing itself
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PostAsync(room, alice, "only once", id))));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Message.Seq, again.Message.Seq);
        Assert.All(burst, r => Assert.Equal(first.Message.Seq, Assert.IsType<PostMessageResult.Stored>(r).Message.Seq));
        var count = await server.WithDbAsync(db => db.Messages.CountAsync(m => m.RoomId == room.Id));
        Assert.Equal(1, count);
        var lastSeq = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync());
        Assert.Equal(1, lastSeq); // rolled-back races leave no gap
    }

    [Fact]
    public async Task The_same_client_message_id_from_two_people_is_two_messages()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);
        var id = Guid.NewGuid().ToString();

        Assert.False(Assert.IsType<PostMessageResult.Stored>(await PostAsync(room, alice, "hi", id)).Duplicate);
        Assert.False(Assert.IsType<PostMessageResult.Stored>(await PostAsync(room, bob, "hi", id)).Duplicate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Rejected_messages_write_nothing(string body)
    {
        var alice = await server.SignUpAsync();
        var room = await NewRoomAsync(alice);

        Assert.IsType<PostMessageResult.Rejected>(await PostAsync(room, alice, body));
        Assert.IsType<PostMessageResult.Rejected>(await PostAsync(room, alice, new string('x', Message.BodyMaxLength + 1)));
        Assert.IsType<PostMessageResult.Rejected>(await PostAsync(room, alice, "fine", "bad id with spaces"));

        var lastSeq = await server.WithDbAsync(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync());
        Assert.Equal(0, lastSeq);
        Assert.Equal(0, await server.WithDbAsync(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    public sealed class OnSqlite(ChatterServer server) : PostMessageHandlerTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : PostMessageHandlerTests(server), IClassFixture<PostgreSqlChatterServer>;
}

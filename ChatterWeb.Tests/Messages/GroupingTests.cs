using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Messages;

/// <summary>
/// A run of messages by one author within a few minutes shows one name and avatar: each message is
/// stored knowing whether it continues the room's previous one (also across the writer's batches),
/// and every read and every pushed fragment says so the same way.
/// </summary>
public class GroupingTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    [Fact]
    public async Task A_message_continues_the_same_authors_run_within_five_minutes_and_only_then()
    {
        var ada = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var room = await server.WithDbAsync(db => new RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Runs " + Guid.NewGuid().ToString("N")[..6], ada.Id));
        var t0 = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        NewMessage By(TestUser who, string body) => new(room, who.Id, who.DisplayName, body, Guid.NewGuid().ToString());

        // One batch: ada, ada, bob, ada. Then later batches: ada 4 min later, ada 6 min after that.
        await StoreAsync(t0, By(ada, "one"), By(ada, "two"), By(bob, "three"), By(ada, "four"));
        await StoreAsync(t0.AddMinutes(4), By(ada, "five"));
        await StoreAsync(t0.AddMinutes(10), By(ada, "six"));

        await using var scope = server.Services.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<MessageHistory>().BeforeAsync(room.Id, beforeSeq: null);
        Assert.Equal(
            [("one", false), ("two", true), ("three", false), ("four", false), ("five", true), ("six", false)],
            page.Messages.Select(m => (m.Body, m.Continues)));
        // The markup says it the same way on the page and in the pushed fragment.
        Assert.Contains("class=\"msg cont\"", MessageMarkup.Render(page.Messages[1]));
        Assert.Contains("class=\"msg\"", MessageMarkup.Render(page.Messages[2]));
        Assert.Contains("class=\"msg cont\"", System.Text.Encoding.UTF8.GetString(MessageMarkup.RenderFragment(page.Messages[4])));
    }

    private async Task StoreAsync(DateTimeOffset now, params NewMessage[] batch)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var stored = await MessageWriter.StoreBatchAsync(scope.ServiceProvider.GetRequiredService<ChatterDbContext>(),
            scope.ServiceProvider.GetRequiredService<IMessageRows>(), batch, now);
        Assert.All(stored, s => Assert.False(s!.Value.Duplicate));
    }
}

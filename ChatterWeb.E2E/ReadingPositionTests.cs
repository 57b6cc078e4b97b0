using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// Where a reader is and what they have read: a room opens at the first unread message (loading as
/// far back as it takes), only what has been on screen counts as read, and nothing pulls a reader
/// out of history: a frame that adds no message (typing, presence) leaves them where they are, and messages that
/// arrive below them are counted on a "new messages" pill that takes them down.
/// </summary>
public class ReadingPositionTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Theory]
    [InlineData(20)]
    [InlineData(70)] // more than a page
    public async Task A_room_opens_at_the_first_unread_message_and_only_what_was_on_screen_counts_as_read(int unread)
    {
        await using var writer = await app.SignUpAsync("Writer " + unread);
        await using var reader = await app.SignUpAsync("Reader " + unread);
        var slug = await writer.CreateRoomAsync("Unread " + unread);
        await reader.OpenRoomAsync(slug); // a member, read to the end (nothing yet)
        var (room, writerId, readerId) = await IdsAsync(slug, writer.Email, reader.Email);
        await PostAsync(room, writerId, "before", 1, 10);
        await Expect(reader.Page.Locator("#messages article[data-seq='10']")).ToBeVisibleAsync();
        await Eventually(async () => await LastReadAsync(room.Id, readerId) == 10);
        await reader.Page.GotoAsync("/rooms"); // away; then the room gets busy
        await PostAsync(room, writerId, "unread", 11, 10 + unread);

        var reads = new System.Collections.Concurrent.ConcurrentQueue<long>();
        reader.Page.WebSocket += (_, ws) => ws.FrameSent += (_, f) =>
        {
            if (f.Text is { } text && System.Text.RegularExpressions.Regex.Match(text, "\"type\":\"read\",\"upToSeq\":(\\d+)") is { Success: true } m)
                reads.Enqueue(long.Parse(m.Groups[1].Value));
        };
        await reader.Page.GotoAsync($"/rooms/{slug}");
        await reader.WaitUntilConnectedAsync();
        var divider = reader.Page.Locator("#unread-divider");
        await Expect(divider).ToBeInViewportAsync();
        Assert.Equal("m-11", await divider.EvaluateAsync<string>("d => d.nextElementSibling.id")); // above the first unread, however many
        await Expect(reader.Page.Locator("#m-11")).ToBeInViewportAsync();
        await Expect(reader.Page.Locator($"#m-{10 + unread}")).Not.ToBeInViewportAsync(); // the newest are below the fold

        // The page's first report is what it has shown: past the first unread, short of the newest.
        await Eventually(() => Task.FromResult(!reads.IsEmpty));
        Assert.True(reads.TryPeek(out var first));
        Assert.InRange(first, 11, 10 + unread - 1);
        await Eventually(async () => await LastReadAsync(room.Id, readerId) == first);

        // Scrolled to the bottom, everything has been seen.
        await reader.Page.Locator($"#m-{10 + unread}").ScrollIntoViewIfNeededAsync();
        await Eventually(async () => await LastReadAsync(room.Id, readerId) == 10 + unread);
    }

    [Fact]
    public async Task A_reader_in_history_stays_there_and_a_pill_counts_what_arrives_below()
    {
        await using var writer = await app.SignUpAsync("Busy Writer");
        await using var reader = await app.SignUpAsync("History Reader");
        var slug = await writer.CreateRoomAsync("History room");
        var (room, writerId, _) = await IdsAsync(slug, writer.Email, reader.Email);
        await PostAsync(room, writerId, "old", 1, 80);
        await reader.OpenRoomAsync(slug);
        await Expect(reader.Page.Locator("#messages article[data-seq='80']")).ToBeInViewportAsync();

        var pane = reader.Page.Locator("#pane");
        await pane.EvaluateAsync("p => p.scrollTop = 200"); // reading older messages
        var before = await pane.EvaluateAsync<double>("p => p.scrollTop");

        // Someone types: the frame adds no message, and the reader stays where they are.
        await writer.Composer.PressSequentiallyAsync("hel");
        await Expect(reader.Page.Locator("#typing")).Not.ToBeEmptyAsync();
        Assert.Equal(before, await pane.EvaluateAsync<double>("p => p.scrollTop"));

        // Someone opens the room: a presence frame, no message, and the reader stays where they are.
        await using var visitor = await app.SignUpAsync("History Visitor");
        await visitor.OpenRoomAsync(slug);
        await Expect(reader.Presence.GetByText("History Visitor")).ToBeAttachedAsync();
        Assert.Equal(before, await pane.EvaluateAsync<double>("p => p.scrollTop"));

        // Two messages arrive below: still here, and the pill says so.
        await PostAsync(room, writerId, "new", 81, 82);
        var pill = reader.Page.Locator("#new-pill");
        await Expect(pill).ToBeVisibleAsync();
        await Expect(pill).ToContainTextAsync("2 new messages");
        Assert.Equal(before, await pane.EvaluateAsync<double>("p => p.scrollTop"));

        // The pill takes them down, and goes.
        await pill.ClickAsync();
        await Expect(reader.Page.Locator("#m-82")).ToBeInViewportAsync();
        await Expect(pill).ToBeHiddenAsync();
    }

    private async Task<(RoomInfo Room, string WriterId, string ReaderId)> IdsAsync(string slug, string writerEmail, string readerEmail)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        var room = await db.Rooms.Where(r => r.Slug == slug).Select(r => new RoomInfo(r.Id, r.Slug, r.Name, r.Kind)).SingleAsync();
        var ids = await db.Users.Where(u => u.Email == writerEmail || u.Email == readerEmail).ToDictionaryAsync(u => u.Email!, u => u.Id);
        return (room, ids[writerEmail], ids[readerEmail]);
    }

    private async Task<long> LastReadAsync(long roomId, string userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        return await db.Memberships.Where(m => m.RoomId == roomId && m.UserId == userId).Select(m => m.LastReadSeq).SingleAsync();
    }

    private async Task PostAsync(RoomInfo room, string authorId, string what, int from, int to)
    {
        var writer = app.Services.GetRequiredService<MessageWriter>();
        for (var i = from; i <= to; i++)
            await writer.StoreAsync(new NewMessage(room, authorId, "Writer", $"{what} message {i}", $"{room.Slug}-{what}-{i}"));
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 s");
            await Task.Delay(100);
        }
    }
}

using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Threads in real browsers: the pane beside the room, replies live in it and in the summary (also while the pane is closed), sent to the room too, on a phone and without JavaScript.</summary>
public sealed class ThreadTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private static ILocator Pane(Person who) => who.Page.Locator("#thread");
    private static ILocator PaneReplies(Person who) => who.Page.Locator("#thread-replies > article.msg .body");
    private static ILocator ThreadBox(Person who) => who.Page.Locator("#thread-body");
    private static ILocator Summary(Person who) => who.Messages.First.Locator(".thread-summary");

    /// <summary>The socket is open: the server pushed who is here, us included (the list is not shown beside an open thread, or on a phone).</summary>
    private static Task ConnectedAsync(Person who) =>
        Expect(who.Presence.Locator("li", new() { HasText = who.DisplayName })).ToBeAttachedAsync();

    /// <summary>Types a reply into the open thread and presses Enter; returns once the server has acknowledged it (the box clears).</summary>
    private static async Task ReplyAsync(Person who, string text, bool alsoToRoom = false)
    {
        if (alsoToRoom)
            await Pane(who).GetByLabel("Also send to the room").CheckAsync();
        await ThreadBox(who).FillAsync(text);
        await ThreadBox(who).PressAsync("Enter");
        await Expect(ThreadBox(who)).ToHaveValueAsync("");
    }

    [Fact]
    public async Task Three_people_reply_in_a_thread_and_the_room_sees_the_count_live_while_its_pane_is_closed()
    {
        await using var ada = await app.SignUpAsync("Ada Thread");
        await using var grace = await app.SignUpAsync("Grace Thread");
        await using var linus = await app.SignUpAsync("Linus Thread");
        var slug = await ada.CreateRoomAsync("Thread room");
        await grace.OpenRoomAsync(slug);
        await linus.OpenRoomAsync(slug);
        await ada.SendAsync("which database for the demo?");
        await Expect(grace.Bodies).ToHaveTextAsync(["which database for the demo?"]);

        // Grace opens the thread from the message's Reply link: a pane beside the room, at the thread's own URL
        await grace.Messages.First.HoverAsync();
        await grace.Messages.First.Locator(".msg-reply").ClickAsync();
        await Expect(grace.Page).ToHaveURLAsync(new Regex($@"/rooms/{slug}/@1/thread$"));
        await ConnectedAsync(grace);
        await Expect(Pane(grace)).ToBeVisibleAsync();
        await Expect(Pane(grace).Locator(".thread-parent .body")).ToHaveTextAsync("which database for the demo?");
        await Expect(grace.Page.Locator("#messages > article.msg .body", new() { HasText = "which database" })).ToBeVisibleAsync(); // the room stays beside it
        await Expect(ThreadBox(grace)).ToBeFocusedAsync();
        await ReplyAsync(grace, "PostgreSQL, like production");
        await Expect(PaneReplies(grace)).ToHaveTextAsync(["PostgreSQL, like production"]);

        // Ada and Linus have no thread open: the reply is not in their room's list, the count and who replied are, live
        foreach (var who in new[] { ada, linus })
        {
            await Expect(Summary(who)).ToHaveTextAsync("1 reply");
            await Expect(who.Messages.First.Locator(".repliers")).ToHaveTextAsync("Last from Grace Thread");
            await Expect(who.Page.Locator("#messages > article.msg:visible")).ToHaveCountAsync(1);
        }
        await AssertNoAxeViolationsAsync(ada.Page.Locator("#messages"), "the room with a thread's summary");

        // Ada follows the count into the thread and answers, also to the room
        await Summary(ada).ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex($@"/rooms/{slug}/@1/thread$"));
        await ConnectedAsync(ada);
        await Expect(PaneReplies(ada)).ToHaveTextAsync(["PostgreSQL, like production"]);
        await ReplyAsync(ada, "agreed, I will set it up", alsoToRoom: true);

        // Grace's open pane gets it live, in order; Linus sees it in the room, marked as a thread reply
        await Expect(PaneReplies(grace)).ToHaveTextAsync(["PostgreSQL, like production", "agreed, I will set it up"]);
        var inRoom = linus.Page.Locator("#messages > article.msg.in-room");
        await Expect(inRoom.Locator(".body")).ToHaveTextAsync("agreed, I will set it up");
        await Expect(inRoom.Locator("a.in-thread")).ToHaveAttributeAsync("href", $"/rooms/{slug}/@1/thread");
        await Expect(Summary(linus)).ToHaveTextAsync("2 replies");
        await Expect(linus.Messages.First.Locator(".repliers")).ToHaveTextAsync("Last from Ada Thread, Grace Thread");
        await AssertNoAxeViolationsAsync(grace.Page.Locator("#thread"), "the thread pane");

        // a reload of the thread shows each reply once, in the pane and not in the room's list
        await grace.Page.ReloadAsync();
        await ConnectedAsync(grace);
        await Expect(PaneReplies(grace)).ToHaveTextAsync(["PostgreSQL, like production", "agreed, I will set it up"]);
        await Expect(grace.Page.Locator("#messages > article.msg.reply")).ToHaveCountAsync(0);

        // closing the thread is a link back to the room
        await Pane(grace).GetByRole(AriaRole.Link, new() { Name = "Close thread" }).ClickAsync();
        await Expect(grace.Page).ToHaveURLAsync(new Regex($@"/rooms/{slug}$"));
        await Expect(Pane(grace)).ToHaveCountAsync(0);
        foreach (var who in new[] { ada, grace, linus })
            Assert.DoesNotContain(who.ConsoleMessages, m => m.StartsWith("pageerror", StringComparison.Ordinal));
    }

    [Fact]
    public async Task On_a_phone_the_thread_is_a_page_of_its_own()
    {
        await using var ada = await app.SignUpAsync("Ada Phone");
        var slug = await ada.CreateRoomAsync("Phone threads");
        await ada.SendAsync("reply on a phone");
        await ada.Page.SetViewportSizeAsync(390, 844);
        await ada.Page.GotoAsync($"/rooms/{slug}/@1/thread");
        await ConnectedAsync(ada);
        var box = await Pane(ada).BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.Equal(0, box!.X, 1);
        Assert.Equal(390, box.Width, 1);
        Assert.Equal(844, box.Height, 1);
        await ReplyAsync(ada, "sent from the phone");
        await Expect(PaneReplies(ada)).ToHaveTextAsync(["sent from the phone"]);
        await AssertNoAxeViolationsAsync(ada.Page.Locator("#thread"), "the thread on a phone");
    }

    [Fact]
    public async Task Without_javascript_the_thread_page_replies_and_the_live_room_sees_it()
    {
        await using var ada = await app.SignUpAsync("Ada Plain Thread");
        var slug = await ada.CreateRoomAsync("Plain threads");
        await ada.SendAsync("reply to me without scripts");

        var context = await app.WithoutJavaScriptAsync(ada);
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/rooms/{slug}");
            await page.Locator("#messages article.msg").First.Locator(".msg-reply").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($@"/rooms/{slug}/@1/thread$"));
            await page.Locator("#thread-body").FillAsync("a plain reply");
            await page.Locator("#thread").GetByLabel("Also send to the room").CheckAsync();
            await page.Locator("#thread").GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($@"/rooms/{slug}/@1/thread#m-2$"));
            await Expect(page.Locator("#thread-replies > article.msg .body")).ToHaveTextAsync(["a plain reply"]);

            // the live page saw the reply in the room (it was sent there too) and the count
            await Expect(ada.Page.Locator("#messages > article.msg.in-room .body")).ToHaveTextAsync("a plain reply");
            await Expect(Summary(ada)).ToHaveTextAsync("1 reply");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task AssertNoAxeViolationsAsync(ILocator where, string what)
    {
        AxeResult result = await where.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on {what}:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// Pins in real browsers: a room's manager pins by keyboard, another person's open page shows the
/// marker and the header's count live; the pins page lists it; unpinning takes both back; without
/// JavaScript the Pin link's page pins. axe finds nothing on the room with a pinned message or on the pins page.
/// </summary>
public sealed class PinTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task A_manager_pins_and_another_persons_open_page_shows_the_marker_and_the_count_live()
    {
        await using var ada = await app.SignUpAsync("Ada Pin");
        await using var grace = await app.SignUpAsync("Grace Pin");
        var slug = await ada.CreateRoomAsync("Pin room");
        await grace.OpenRoomAsync(slug);
        await ada.SendAsync("the plan for Friday");
        await ada.SendAsync("something else");
        await Expect(grace.Bodies).ToHaveTextAsync(["the plan for Friday", "something else"]);
        await Expect(grace.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (0)");
        foreach (var page in new[] { ada.Page, grace.Page })
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // Ada created the room: "Pin" is hers to use; Grace only reads
        var adaFirst = ada.Messages.First;
        var graceFirst = grace.Messages.First;
        await Expect(graceFirst.Locator(".msg-pin")).ToBeHiddenAsync();
        // by keyboard: the message, then Tab through its actions (Link, React, Reply) to Pin
        await adaFirst.FocusAsync();
        for (var i = 0; i < 4; i++)
            await ada.Page.Keyboard.PressAsync("Tab");
        await Expect(adaFirst.Locator(".msg-pin")).ToBeFocusedAsync();
        await Expect(adaFirst.Locator(".msg-pin")).ToHaveAccessibleNameAsync("Pin");
        await Expect(adaFirst.Locator(".msg-pin")).ToHaveAttributeAsync("title", "Pin this message to the room");
        await ada.Page.Keyboard.PressAsync("Enter");

        // Grace's page, without a reload: the marker on that message only, and the header's count
        await Expect(graceFirst.Locator(".pinned-marker")).ToHaveTextAsync(new Regex(@"Pinned$"));
        await Expect(grace.Messages.Nth(1).Locator(".pinned-marker")).ToHaveCountAsync(0);
        await Expect(grace.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (1)");
        await Expect(ada.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (1)");
        // Ada's link now unpins, and keeps the focus
        await Expect(ada.Messages.First.Locator(".msg-pin")).ToHaveTextAsync("Unpin");
        await Expect(ada.Messages.First.Locator(".msg-pin")).ToBeFocusedAsync();
        await AssertNoAxeViolationsAsync(grace.Page.Locator("main"), "the room with a pinned message");
        await AssertNoAxeViolationsAsync(ada.Page.Locator("main"), "the room with a pinned message, as its manager");

        // the pins page, from the header's link
        await grace.Page.Locator("#pin-count").ClickAsync();
        await Expect(grace.Page).ToHaveURLAsync(new Regex($"/rooms/{slug}/pins$"));
        var pins = grace.Page.Locator("ol.pins > li");
        await Expect(pins).ToHaveCountAsync(1);
        await Expect(pins.First.Locator(".body")).ToHaveTextAsync("the plan for Friday");
        await Expect(pins.First).ToContainTextAsync("Pinned by Ada Pin");
        await Expect(pins.First.Locator("button", new() { HasText = "Unpin" })).ToHaveCountAsync(0); // Grace may not
        await AssertNoAxeViolationsAsync(grace.Page.Locator("main"), "the pins page");
        await pins.First.GetByRole(AriaRole.Link, new() { Name = "Go to the message" }).ClickAsync();
        await Expect(grace.Page).ToHaveURLAsync(new Regex($"/rooms/{slug}/@1$"));
        await grace.Page.GoBackAsync();
        await grace.Page.GoBackAsync();
        await grace.WaitUntilConnectedAsync();
        await Expect(grace.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (1)");
        await grace.Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // Ada unpins with the mouse: both pages take the marker off and the count down
        await ada.Messages.First.HoverAsync();
        await ada.Messages.First.Locator(".msg-pin").ClickAsync();
        await Expect(grace.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (0)");
        await Expect(grace.Messages.First.Locator(".pinned-marker")).ToHaveCountAsync(0);
        await Expect(ada.Messages.First.Locator(".msg-pin")).ToHaveTextAsync("Pin");

        foreach (var page in new[] { ada.Page, grace.Page })
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page reloaded.");
        Assert.Empty(ada.Dialogs);
        Assert.Empty(grace.Dialogs);
    }

    [Fact]
    public async Task Without_javascript_the_pin_link_opens_a_page_whose_button_pins()
    {
        await using var ada = await app.SignUpAsync("Ada Plain Pin");
        var slug = await ada.CreateRoomAsync("Plain pins");
        await ada.SendAsync("pin without scripts");

        var context = await app.WithoutJavaScriptAsync(ada);
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/rooms/{slug}");
            await page.Locator("#messages article.msg").First.Locator(".msg-pin").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/messages/1/pin$"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Pin", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/rooms/[a-z0-9-]+/@1$"));
            await Expect(page.Locator("#messages article.msg .pinned-marker")).ToHaveCountAsync(1);
            await Expect(ada.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (1)"); // her live page saw it
            await Expect(ada.Messages.First.Locator(".pinned-marker")).ToBeVisibleAsync();

            // and unpins from the pins page's own button
            await page.GotoAsync($"/rooms/{slug}/pins");
            await page.GetByRole(AriaRole.Button, new() { Name = "Unpin" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/rooms/[a-z0-9-]+/@1$"));
            await Expect(page.Locator("#messages article.msg .pinned-marker")).ToHaveCountAsync(0);
            await Expect(ada.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (0)");
        }
        finally
        {
            await context.CloseAsync();
        }

        // the pin page itself, checked by axe (which needs the script it injects)
        await ada.Page.GotoAsync($"/rooms/{slug}/messages/1/pin");
        await AssertNoAxeViolationsAsync(ada.Page.Locator("main"), "the pin page");
        await ada.Page.GotoAsync($"/rooms/{slug}/pins");
        await AssertNoAxeViolationsAsync(ada.Page.Locator("main"), "the empty pins page");
    }

    private static async Task AssertNoAxeViolationsAsync(ILocator where, string what)
    {
        AxeResult result = await where.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on {what}:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Reactions in real browsers: the picker by mouse and keyboard, live for the room, after a reload, and without JavaScript.</summary>
public sealed class ReactionTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private static ILocator Chip(Person who, string emoji) =>
        who.Messages.First.Locator("button.reaction", new() { HasText = emoji });

    [Fact]
    public async Task Two_people_react_live_through_the_picker_and_the_chips_and_a_reload_shows_it_once()
    {
        await using var ada = await app.SignUpAsync("Ada React");
        await using var grace = await app.SignUpAsync("Grace React");
        var slug = await ada.CreateRoomAsync("Reaction room");
        await grace.OpenRoomAsync(slug);
        await ada.SendAsync("the release is out");
        await Expect(grace.Bodies).ToHaveTextAsync(["the release is out"]);
        foreach (var page in new[] { ada.Page, grace.Page })
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // Grace opens the picker, searches by name, Enter reacts with the first match
        var message = grace.Messages.First;
        await message.HoverAsync();
        await message.Locator(".msg-react").ClickAsync();
        var picker = grace.Page.Locator("#emoji-picker");
        await Expect(picker).ToBeVisibleAsync();
        await Expect(picker.Locator("input[type=search]")).ToBeFocusedAsync();
        await picker.Locator("input[type=search]").FillAsync("rock");
        await Expect(picker.Locator(".emoji:visible")).ToHaveCountAsync(1);
        await AssertNoAxeViolationsAsync(picker, "the open picker");
        await picker.Locator("input[type=search]").PressAsync("Enter");
        await Expect(picker).ToBeHiddenAsync();
        await Expect(message.Locator(".msg-react")).ToBeFocusedAsync(); // focus goes back where it was

        foreach (var who in new[] { ada, grace })
        {
            await Expect(Chip(who, "🚀")).ToHaveTextAsync(new Regex(@"🚀\s*1"));
            await Expect(Chip(who, "🚀")).ToHaveAttributeAsync("title", "Grace React");
            await Expect(Chip(who, "🚀")).ToHaveAccessibleNameAsync("rocket, 1: Grace React");
        }

        // Ada adds hers by the chip, then Grace takes hers off by the chip
        await Chip(ada, "🚀").ClickAsync();
        await Expect(Chip(grace, "🚀")).ToHaveTextAsync(new Regex(@"🚀\s*2"));
        await Expect(Chip(grace, "🚀")).ToHaveAttributeAsync("title", "Grace React, Ada React");
        await Chip(grace, "🚀").ClickAsync();
        await Expect(Chip(ada, "🚀")).ToHaveTextAsync(new Regex(@"🚀\s*1"));
        await Expect(Chip(ada, "🚀")).ToHaveAttributeAsync("title", "Ada React");

        // by keyboard: the React link, the arrow keys in the grid, Enter; Escape closes without reacting
        await ada.Messages.First.Locator(".msg-react").FocusAsync();
        await ada.Page.Keyboard.PressAsync("Enter");
        var adaPicker = ada.Page.Locator("#emoji-picker");
        await Expect(adaPicker).ToBeVisibleAsync();
        await ada.Page.Keyboard.PressAsync("Tab"); // from the search to the first emoji (👍)
        await Expect(adaPicker.Locator(".emoji").First).ToBeFocusedAsync();
        await ada.Page.Keyboard.PressAsync("ArrowRight"); // 👎
        await ada.Page.Keyboard.PressAsync("ArrowLeft"); // 👍
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(adaPicker).ToBeHiddenAsync();
        await Expect(Chip(grace, "👍")).ToHaveTextAsync(new Regex(@"👍\s*1"));
        await ada.Messages.First.Locator(".msg-react").FocusAsync();
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(adaPicker).ToBeVisibleAsync();
        await ada.Page.Keyboard.PressAsync("Escape");
        await Expect(adaPicker).ToBeHiddenAsync();
        await AssertNoAxeViolationsAsync(ada.Page.Locator("#messages .reactions"), "the reactions");

        foreach (var page in new[] { ada.Page, grace.Page })
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page reloaded.");

        // a reload shows what is stored, once
        await grace.Page.ReloadAsync();
        await grace.WaitUntilConnectedAsync();
        await Expect(grace.Messages.First.Locator("button.reaction")).ToHaveCountAsync(2);
        await Expect(Chip(grace, "🚀")).ToHaveTextAsync(new Regex(@"🚀\s*1"));
        await Expect(Chip(grace, "👍")).ToHaveTextAsync(new Regex(@"👍\s*1"));
        Assert.Empty(ada.Dialogs);
        Assert.Empty(grace.Dialogs);
    }

    [Fact]
    public async Task Without_javascript_a_chip_toggles_and_the_picker_page_reacts()
    {
        await using var ada = await app.SignUpAsync("Ada Plain");
        var slug = await ada.CreateRoomAsync("Plain reactions");
        await ada.SendAsync("react without scripts");
        await ada.Messages.First.HoverAsync();
        await ada.Messages.First.Locator(".msg-react").ClickAsync();
        await ada.Page.Locator("#emoji-picker .emoji[data-emoji='🎉']").ClickAsync();
        await Expect(Chip(ada, "🎉")).ToBeVisibleAsync();

        var context = await app.WithoutJavaScriptAsync(ada);
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/rooms/{slug}");
            var chip = page.Locator("#messages article.msg").First.Locator("button.reaction", new() { HasText = "🎉" });
            await Expect(chip).ToHaveTextAsync(new Regex(@"🎉\s*1"));
            await chip.ClickAsync(); // the form posts: ada's reaction comes off
            await Expect(page).ToHaveURLAsync(new Regex(@"/rooms/[a-z0-9-]+/@1$"));
            await Expect(page.Locator("#messages article.msg button.reaction")).ToHaveCountAsync(0);
            await Expect(Chip(ada, "🎉")).ToHaveCountAsync(0); // and her live page saw it go

            await page.Locator("#messages article.msg").First.Locator(".msg-react").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/messages/1/reactions$"));
            await page.Locator("#emoji-q").FillAsync("coffee");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Expect(page.Locator(".emoji-grid .emoji")).ToHaveCountAsync(0);
            await page.Locator("#emoji-q").FillAsync("beverage");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "hot beverage" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/rooms/[a-z0-9-]+/@1$"));
            await Expect(page.Locator("#messages article.msg button.reaction", new() { HasText = "☕" })).ToHaveTextAsync(new Regex(@"☕\s*1"));
            await Expect(Chip(ada, "☕")).ToBeVisibleAsync();
        }
        finally
        {
            await context.CloseAsync();
        }

        // the picker page itself, checked by axe (which needs the script it injects)
        await ada.Page.GotoAsync($"/rooms/{slug}/messages/1/reactions");
        await AssertNoAxeViolationsAsync(ada.Page.Locator("main"), "the picker page");
    }

    private static async Task AssertNoAxeViolationsAsync(ILocator where, string what)
    {
        AxeResult result = await where.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on {what}:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

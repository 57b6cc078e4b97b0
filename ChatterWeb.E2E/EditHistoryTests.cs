using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Edit history: "(edited)" opens the earlier versions under the message, or a page of them without JavaScript.</summary>
public sealed class EditHistoryTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task A_reader_opens_an_edited_messages_earlier_versions_in_place_and_without_javascript_on_a_page()
    {
        await using var ada = await app.SignUpAsync("Ada Versions");
        await using var grace = await app.SignUpAsync("Grace Versions");
        var slug = await ada.CreateRoomAsync("Versions");
        await grace.OpenRoomAsync(slug);

        await ada.Composer.FillAsync("the review is on **Monday**");
        await ada.Composer.PressAsync("Enter");
        await Expect(grace.Bodies).ToHaveTextAsync(["the review is on Monday"]);
        foreach (var text in new[] { "the review is on Tuesday", "the review is on Wednesday" })
        {
            await ada.Messages.Last.Locator(".msg-edit").ClickAsync();
            var box = ada.Page.Locator(".msg-edit-form textarea");
            await box.FillAsync(text);
            await box.PressAsync("Enter");
            await Expect(grace.Bodies).ToHaveTextAsync([text]);
        }

        // Grace, who only reads the room, opens the versions under the message: newest first.
        var edited = grace.Messages.Last.Locator("a.edited");
        await Expect(edited).ToHaveTextAsync("(edited)");
        await edited.ClickAsync();
        var versions = grace.Messages.Last.Locator(".msg-versions .version .body");
        await Expect(versions).ToHaveTextAsync(["the review is on Tuesday", "the review is on Monday"]);
        await Expect(versions.Last.Locator("strong")).ToHaveTextAsync("Monday");
        await Expect(edited).ToHaveAttributeAsync("aria-expanded", "true");
        Assert.EndsWith($"/rooms/{slug}", grace.Page.Url); // in place, not a navigation
        await AssertAccessibleAsync(grace.Page, "room with a message's versions open");
        await edited.ClickAsync();
        await Expect(grace.Messages.Last.Locator(".msg-versions")).ToHaveCountAsync(0);
        await Expect(edited).ToHaveAttributeAsync("aria-expanded", "false");

        // The page of versions, as the link leads without JavaScript.
        var noJs = await app.Browser.NewContextAsync(new() { JavaScriptEnabled = false, StorageState = await grace.Context.StorageStateAsync() });
        var page = await noJs.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/rooms/" + slug);
        await page.Locator("#messages article.msg a.edited").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/messages/1/versions$"));
        await Expect(page.Locator(".version.current .body")).ToHaveTextAsync("the review is on Wednesday");
        await Expect(page.Locator(".msg-versions .version .body")).ToHaveTextAsync(["the review is on Tuesday", "the review is on Monday"]);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the message" }).ClickAsync();
        await Expect(page.Locator("#m-1 .body")).ToHaveTextAsync("the review is on Wednesday");
        await noJs.CloseAsync();

        // The same page with JavaScript on passes axe too.
        await grace.Page.GotoAsync(app.BaseUrl + $"/rooms/{slug}/messages/1/versions");
        await Expect(grace.Page.Locator(".msg-versions .version")).ToHaveCountAsync(2);
        await AssertAccessibleAsync(grace.Page, "versions");
        Assert.DoesNotContain(ada.ConsoleMessages.Concat(grace.ConsoleMessages), m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.StartsWith("pageerror", StringComparison.Ordinal));
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on the {what} page:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Issue #7: formatting, editing live in a second browser, and search to a permalink.</summary>
public sealed class RichMessageTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task An_edit_made_from_the_keyboard_shows_live_in_a_second_browser()
    {
        await using var ada = await app.SignUpAsync("Ada Edits");
        await using var grace = await app.SignUpAsync("Grace Watches");
        var failed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        foreach (var person in new[] { ada, grace })
            person.Page.Response += (_, r) => { if (r.Status >= 400) failed.Enqueue($"{r.Status} {r.Url}"); };
        var slug = await ada.CreateRoomAsync("Edits live");
        await grace.OpenRoomAsync(slug);
        await grace.Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await ada.SendAsync("the meeting is at 3, see https://example.com/agenda");
        await Expect(grace.Bodies).ToHaveTextAsync(["the meeting is at 3, see https://example.com/agenda"]);
        var link = grace.Bodies.Locator("a");
        await Expect(link).ToHaveAttributeAsync("href", "https://example.com/agenda");
        await Expect(link).ToHaveAttributeAsync("rel", "noopener nofollow ugc");
        // only the author is offered "Edit"
        await Expect(grace.Messages.Locator(".msg-edit")).ToBeHiddenAsync();

        var edit = ada.Messages.Last.Locator(".msg-edit");
        await edit.FocusAsync();
        await edit.PressAsync("Enter");
        var box = ada.Page.Locator(".msg-edit-form textarea");
        await Expect(box).ToBeFocusedAsync();
        await Expect(box).ToHaveValueAsync("the meeting is at 3, see https://example.com/agenda"); // the source, not the HTML
        await box.FillAsync("the meeting is at **4**");
        await box.PressAsync("Enter");

        foreach (var person in new[] { grace, ada })
        {
            await Expect(person.Bodies).ToHaveTextAsync(["the meeting is at 4"]);
            await Expect(person.Bodies.Locator("strong")).ToHaveTextAsync("4");
            await Expect(person.Messages.Locator(".edited")).ToHaveTextAsync("(edited)");
        }
        await Expect(ada.Page.Locator(".msg-edit-form")).ToHaveCountAsync(0);
        Assert.True(await grace.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "Grace's page reloaded.");
        Assert.Equal(new long[] { 1 }, await grace.SeqsAsync());

        // a page that was closed during the edit sees it on reload, and so does a resumed one
        await grace.Page.ReloadAsync();
        await Expect(grace.Bodies.Locator("strong")).ToHaveTextAsync("4");
        Assert.DoesNotContain(ada.ConsoleMessages, m => m.StartsWith("pageerror"));
        Assert.DoesNotContain(grace.ConsoleMessages, m => m.StartsWith("pageerror"));
        Assert.True(failed.All(f => f.EndsWith("/favicon.ico")), string.Join("\n", failed)); // no failed request but the browser's own favicon probe
    }

    [Fact]
    public async Task A_search_result_opens_the_room_at_the_message_with_older_and_newer_around_it()
    {
        await using var ada = await app.SignUpAsync("Ada Searches");
        var slug = await ada.CreateRoomAsync("Searchable");
        var word = "xylophone" + Guid.NewGuid().ToString("N")[..6];
        var bodies = Enumerable.Range(1, 90).Select(i => i == 30 ? $"bring the {word} <b>tomorrow</b>" : $"filler line {i}").ToList();
        await ada.PostViaFormAsync(slug, bodies);

        await ada.Page.Locator("#top-search-q").FillAsync(word);
        await ada.Page.Locator("#top-search-q").PressAsync("Enter");
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/search\\?q="));
        var hit = ada.Page.Locator(".hit");
        await Expect(hit).ToHaveCountAsync(1);
        await Expect(hit.Locator("mark")).ToHaveTextAsync(word);
        await Expect(hit.Locator(".snippet")).ToContainTextAsync("<b>tomorrow</b>"); // shown as text, not markup

        await hit.Locator("a").ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex($"/rooms/{slug}/@30$"));
        var target = ada.Page.Locator("#m-30");
        await Expect(target).ToHaveClassAsync(new Regex("focused"));
        await Expect(target).ToBeInViewportAsync();
        await Expect(target.Locator(".body")).ToContainTextAsync(word);
        await Expect(target.Locator(".msg-link")).ToHaveAttributeAsync("href", $"/rooms/{slug}/@30");
        Assert.Equal(Enumerable.Range(6, 50).Select(i => (long)i), await ada.SeqsAsync());

        await ada.Page.Locator("#newer a").ClickAsync();
        await Expect(ada.Messages.Last).ToHaveAttributeAsync("data-seq", "90");
        await Expect(ada.Page.Locator("#newer")).ToContainTextAsync("Open the live room");
        await ada.LoadOlderAsync();
        Assert.Equal(Enumerable.Range(1, 90).Select(i => (long)i), await ada.SeqsAsync());

        await ada.Page.Locator("#newer a").ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex($"/rooms/{slug}$"));
        await ada.WaitUntilConnectedAsync();
    }
}

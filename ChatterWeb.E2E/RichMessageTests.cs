using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Formatting, editing live in a second browser, and search to a permalink.</summary>
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
    public async Task An_edit_answered_after_its_live_frame_still_lands_by_id()
    {
        await using var ada = await app.SignUpAsync("Ada Races");
        var slug = await ada.CreateRoomAsync("Edit race");
        await ada.SendAsync("first version");
        // Hold the answer to the save until the live frame of the same edit has replaced the article
        // (and the editor, and the form that sent the request, with it).
        await ada.Page.RouteAsync("**/messages/1/edit", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            var answer = await route.FetchAsync();
            await Expect(ada.Bodies).ToHaveTextAsync(["second version"]);
            await Expect(ada.Page.Locator(".msg-edit-form")).ToHaveCountAsync(0);
            await ada.Page.EvaluateAsync("() => { document.getElementById('m-1').__fromFrame = true; }");
            await route.FulfillAsync(new() { Response = answer });
        });

        await ada.Messages.Last.Locator(".msg-edit").ClickAsync();
        var box = ada.Page.Locator(".msg-edit-form textarea");
        await box.FillAsync("second version");
        await box.PressAsync("Enter");

        // The answer replaced the article the frame had put there (by its id, not into the form's
        // detached old article), and the focus went back to its Edit link.
        await ada.Page.WaitForFunctionAsync("() => document.getElementById('m-1') && !document.getElementById('m-1').__fromFrame");
        await Expect(ada.Messages.Last.Locator(".msg-edit")).ToBeFocusedAsync();
        await Expect(ada.Bodies).ToHaveTextAsync(["second version"]);
        Assert.Equal(new long[] { 1 }, await ada.SeqsAsync());
        Assert.DoesNotContain(ada.ConsoleMessages, m => m.StartsWith("pageerror") || m.Contains("htmx:"));
    }

    [Fact]
    public async Task The_editor_opens_once_cancels_with_escape_shows_errors_and_leaves_modified_clicks_to_the_browser()
    {
        await using var ada = await app.SignUpAsync("Ada Cancels");
        var editForms = new System.Collections.Concurrent.ConcurrentQueue<string>();
        ada.Page.Request += (_, r) => { if (r.Method == "GET" && r.Url.EndsWith("/edit", StringComparison.Ordinal)) editForms.Enqueue(r.Url); };
        var slug = await ada.CreateRoomAsync("Cancel edits");
        await ada.SendAsync("as it was");
        var edit = ada.Messages.Last.Locator(".msg-edit");
        var box = ada.Page.Locator(".msg-edit-form textarea");

        await edit.ClickAsync();
        await Expect(box).ToBeFocusedAsync();
        Assert.Equal("as it was".Length, await box.EvaluateAsync<int>("b => b.selectionStart")); // the caret at the end
        await Expect(ada.Messages.Last).ToHaveClassAsync(new Regex(@"\bediting\b"));
        await edit.ClickAsync(); // open already: back to it, no second editor
        await Expect(box).ToBeFocusedAsync();
        await box.PressAsync("Escape");
        await Expect(ada.Page.Locator(".msg-edit-form")).ToHaveCountAsync(0);
        await Expect(ada.Messages.Last).Not.ToHaveClassAsync(new Regex(@"\bediting\b"));
        await Expect(edit).ToBeFocusedAsync();
        await edit.ClickAsync();
        await Expect(box).ToBeFocusedAsync();
        Assert.Equal(2, editForms.Count); // the second click sent nothing (requests go out on the click itself)

        // an invalid edit: the server's reason, in the editor
        await box.FillAsync("   ");
        await box.PressAsync("Enter");
        await Expect(ada.Page.Locator(".msg-edit-form .edit-status")).ToHaveClassAsync(new Regex(@"\berror\b"));
        await Expect(ada.Page.Locator(".msg-edit-form .edit-status")).Not.ToBeEmptyAsync();
        // saved unchanged: the editor closes, nothing is marked edited
        await box.FillAsync("as it was");
        await box.PressAsync("Enter");
        await Expect(ada.Page.Locator(".msg-edit-form")).ToHaveCountAsync(0);
        await Expect(edit).ToBeFocusedAsync();
        await Expect(ada.Messages.Locator(".edited")).ToHaveCountAsync(0);

        // Ctrl/Cmd+click: the form page in a new tab, this page untouched
        var tab = await ada.Context.RunAndWaitForPageAsync(() => edit.ClickAsync(new() { Modifiers = [KeyboardModifier.ControlOrMeta] }));
        await Expect(tab).ToHaveURLAsync(new Regex($"/rooms/{slug}/messages/1/edit$"));
        await Expect(tab.Locator("main.history .msg-edit-form")).ToHaveCountAsync(1);
        await Expect(ada.Page.Locator(".msg-edit-form")).ToHaveCountAsync(0);
        Assert.DoesNotContain(ada.ConsoleMessages, m => m.StartsWith("pageerror"));
    }

    [Fact]
    public async Task A_delete_asks_first_and_leaves_a_tombstone_live_in_a_second_browser()
    {
        await using var ada = await app.SignUpAsync("Ada Deletes");
        await using var grace = await app.SignUpAsync("Grace Sees");
        var deletes = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var failed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        ada.Page.Request += (_, r) => { if (r.Method == "POST" && r.Url.EndsWith("/delete", StringComparison.Ordinal)) deletes.Enqueue(r.Url); };
        ada.Page.Response += (_, r) => { if (r.Status >= 400) failed.Enqueue($"{r.Status} {r.Url}"); };
        var slug = await ada.CreateRoomAsync("Deletes live");
        await grace.OpenRoomAsync(slug);
        await grace.Page.EvaluateAsync("() => { window.__sameDocument = true; }");
        await ada.SendAsync("keep this");
        await ada.SendAsync("oops, wrong room");
        await Expect(grace.Bodies).ToHaveTextAsync(["keep this", "oops, wrong room"]);
        await Expect(grace.Messages.Locator(".msg-delete")).ToHaveCountAsync(2);
        await Expect(grace.Messages.Locator(".msg-delete").First).ToBeHiddenAsync(); // not hers, not her room

        // Cancel: no request. The barrier: a message sent after it arrives, so the page has settled.
        var delete = ada.Messages.Last.Locator(".msg-delete");
        await delete.ClickAsync();
        await ada.SendAsync("barrier");
        Assert.Empty(deletes);
        Assert.Equal(["confirm: Delete this message? This cannot be undone."], ada.Dialogs);

        ada.AcceptsConfirms = true;
        await ada.Messages.Nth(1).Locator(".msg-delete").ClickAsync();
        foreach (var person in new[] { ada, grace })
        {
            await Expect(person.Messages.Nth(1)).ToHaveClassAsync(new Regex(@"\bdeleted\b"));
            await Expect(person.Bodies).ToHaveTextAsync(["keep this", "This message was deleted.", "barrier"]);
            Assert.Equal(new long[] { 1, 2, 3 }, await person.SeqsAsync()); // replaced where it stood, not added again
        }
        Assert.Single(deletes);
        Assert.True(failed.All(f => f.EndsWith("/favicon.ico")), string.Join("\n", failed)); // the page's token went with it
        Assert.True(await grace.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "Grace's page reloaded.");
        Assert.DoesNotContain(ada.ConsoleMessages, m => m.StartsWith("pageerror"));
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

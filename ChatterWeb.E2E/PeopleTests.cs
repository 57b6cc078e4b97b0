using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>People features in real browsers, three people at once: typing, unread counts and the divider, mentions, direct messages, axe.</summary>
public sealed class PeopleTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private static ILocator Typing(Person p) => p.Page.Locator("#typing");

    private static async Task<long> RoomIdAsync(Person p) =>
        long.Parse((await p.Page.Locator("main.room").GetAttributeAsync("data-room-id"))!);

    [Fact]
    public async Task Typing_shows_under_the_composer_of_the_others_and_goes_when_the_message_arrives_or_after_five_seconds()
    {
        await using var ada = await app.SignUpAsync("Ada Lovelace");
        await using var grace = await app.SignUpAsync("Grace Hopper");
        await using var linus = await app.SignUpAsync("Linus Torvalds");
        var slug = await ada.CreateRoomAsync("Typing room");
        await grace.OpenRoomAsync(slug);
        await linus.OpenRoomAsync(slug);

        await grace.Composer.PressSequentiallyAsync("hello the");
        await Expect(Typing(ada)).ToHaveTextAsync("Grace Hopper is typing…");
        await Expect(Typing(linus)).ToHaveTextAsync("Grace Hopper is typing…");
        await Expect(Typing(grace)).ToHaveTextAsync(""); // never oneself

        await linus.Composer.PressSequentiallyAsync("me too");
        await Expect(Typing(ada)).ToHaveTextAsync("Grace Hopper and Linus Torvalds are typing…");

        // Grace's message arrives: she is no longer typing, at once (well before the 5 s)
        await grace.Composer.PressAsync("Enter");
        await Expect(ada.Bodies).ToHaveTextAsync(["hello the"]);
        await Expect(Typing(ada)).ToHaveTextAsync("Linus Torvalds is typing…", new() { Timeout = 1500 });
        // Linus stopped typing: gone within about five seconds of his last report
        await Expect(Typing(ada)).ToHaveTextAsync("", new() { Timeout = 8000 });
        Assert.Empty(ada.Dialogs);
    }

    [Fact]
    public async Task Unread_counts_show_live_in_the_sidebar_of_every_tab_and_opening_the_room_shows_the_divider_and_reads_it()
    {
        await using var ada = await app.SignUpAsync("Ada Unread");
        await using var grace = await app.SignUpAsync("Grace Unread");
        await using var linus = await app.SignUpAsync("Linus Unread");
        var slug = await ada.CreateRoomAsync("Unread room");
        var roomId = await RoomIdAsync(ada);
        await grace.OpenRoomAsync(slug);
        await ada.SendAsync("seen by Grace");
        await Expect(grace.Bodies).ToHaveTextAsync(["seen by Grace"]);
        // Grace moves to general, with a second tab on the rooms list (no room open: its own stream socket); Linus never opened the room
        await grace.OpenRoomAsync("general");
        var secondTab = await grace.Context.NewPageAsync();
        await secondTab.GotoAsync("/rooms");
        await Expect(secondTab.Locator("body[data-stream=open]")).ToHaveCountAsync(1);
        await linus.OpenRoomAsync("general");

        await ada.SendAsync("one");
        await ada.SendAsync("two");
        await ada.SendAsync("@Grace Unread three, for you");
        var badge = grace.Page.Locator($"#unread-{roomId}");
        await Expect(badge).ToHaveAttributeAsync("data-count", "3");
        await Expect(badge).ToHaveClassAsync(new Regex("mentioned")); // the distinct mark for a mention
        await Expect(secondTab.Locator($"#unread-{roomId}")).ToHaveAttributeAsync("data-count", "3");
        await Expect(linus.Page.Locator($"#unread-{roomId}")).ToHaveCountAsync(0); // not a member: nothing

        // Grace opens the room from the sidebar (keyboard): the divider sits above "one", and she has read to the bottom
        await grace.Page.Locator($".sidebar a[href='/rooms/{slug}']").FocusAsync();
        await grace.Page.Keyboard.PressAsync("Enter");
        await grace.WaitUntilConnectedAsync();
        var divider = grace.Page.Locator("#unread-divider");
        await Expect(divider).ToBeVisibleAsync();
        Assert.Equal("m-2", await divider.EvaluateAsync<string>("d => d.nextElementSibling.id"));
        await Expect(grace.Page.Locator("#m-4")).ToBeInViewportAsync();
        // ... so her other tab's count goes to zero, live
        await Expect(secondTab.Locator($"#unread-{roomId}")).ToHaveAttributeAsync("data-count", "0");
        await Expect(secondTab.Locator($"#unread-{roomId}")).ToBeHiddenAsync();
        // the mention is highlighted for Grace only (one fragment for all; a per-user rule)
        var mentionBg = await grace.Page.Locator("#m-4").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var plainBg = await grace.Page.Locator("#m-2").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(plainBg, mentionBg);
        Assert.Equal(plainBg, await ada.Page.Locator("#m-4").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));

        // a reload after reading: no divider any more
        await grace.Page.ReloadAsync();
        await Expect(grace.Bodies.Last).ToHaveTextAsync("@Grace Unread three, for you");
        await Expect(divider).ToHaveCountAsync(0);
        await secondTab.CloseAsync();
    }

    [Fact]
    public async Task Mentions_are_suggested_from_the_keyboard_and_highlighted_for_the_mentioned_person_only()
    {
        await using var ada = await app.SignUpAsync("Ada Mentions");
        await using var grace = await app.SignUpAsync("Grace Mentions");
        await using var linus = await app.SignUpAsync("Linus Mentions");
        var slug = await ada.CreateRoomAsync("Mention room");
        await grace.OpenRoomAsync(slug);
        await linus.OpenRoomAsync(slug);

        await ada.Composer.PressSequentiallyAsync("hey @gr");
        var options = ada.Page.Locator("#mention-list [role=option]");
        await Expect(options).ToHaveTextAsync([new Regex("Grace Mentions")]);
        await Expect(options.First).ToHaveAttributeAsync("aria-selected", "true");
        await ada.Composer.PressAsync("Enter"); // picks the suggestion, does not send
        await Expect(ada.Composer).ToHaveValueAsync("hey @Grace Mentions ");
        await Expect(ada.Page.Locator("#mention-list")).ToBeHiddenAsync();
        await ada.Composer.PressSequentiallyAsync("can you check @");
        await Expect(options).ToHaveCountAsync(2);
        await Expect(options.First).ToHaveAttributeAsync("aria-selected", "true"); // the list has settled
        await ada.Composer.PressAsync("ArrowDown");
        await Expect(options.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        // a live frame settling meanwhile (Grace starts typing) keeps the choice where the keyboard put it
        await grace.Composer.PressSequentiallyAsync("x");
        await Expect(Typing(ada)).ToHaveTextAsync("Grace Mentions is typing…");
        await Expect(options.Nth(1)).ToHaveAttributeAsync("aria-selected", "true");
        await ada.Composer.PressAsync("Escape");
        await Expect(ada.Page.Locator("#mention-list")).ToBeHiddenAsync();
        await ada.Composer.PressAsync("Backspace");
        await ada.Composer.PressAsync("Enter");
        await Expect(ada.Composer).ToHaveValueAsync("");

        var onGrace = grace.Messages.Last;
        await Expect(grace.Bodies.Last).ToHaveTextAsync("hey @Grace Mentions can you check");
        var highlighted = await onGrace.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        await Expect(linus.Bodies.Last).ToHaveTextAsync("hey @Grace Mentions can you check");
        var plain = await linus.Messages.Last.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(plain, highlighted);
        // the same markup for both: only the attribute, not "you"
        Assert.Equal(await onGrace.GetAttributeAsync("data-mentions"), await linus.Messages.Last.GetAttributeAsync("data-mentions"));
    }

    [Fact]
    public async Task A_direct_message_is_started_from_a_name_listed_under_that_name_and_invisible_to_others()
    {
        await using var ada = await app.SignUpAsync("Ada Direct");
        await using var grace = await app.SignUpAsync("Grace Direct");
        await using var linus = await app.SignUpAsync("Linus Direct");
        var slug = await ada.CreateRoomAsync("Lobby");
        await grace.OpenRoomAsync(slug);
        await Expect(ada.Presence).ToContainTextAsync("Grace Direct");

        // Ada starts it from Grace's name in the people list
        await ada.Presence.GetByRole(AriaRole.Link, new() { Name = "Grace Direct" }).ClickAsync();
        await Expect(ada.Page.Locator("input[type=checkbox]:checked")).ToHaveCountAsync(1);
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/rooms/dm-[0-9a-f]+$"));
        await Expect(ada.Page.Locator(".room-head h1")).ToContainTextAsync("Grace Direct");
        await ada.WaitUntilConnectedAsync();
        var dm = new Uri(ada.Page.Url).AbsolutePath;
        await ada.SendAsync("a word in private?");

        // Grace, still in the lobby, sees it appear under Ada's name with a count, and opens it
        var entry = grace.Page.Locator("#direct-list a", new() { HasText = "Ada Direct" });
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry.Locator(".unread")).ToHaveAttributeAsync("data-count", "1");
        await entry.ClickAsync();
        await Expect(grace.Bodies).ToHaveTextAsync(["a word in private?"]);
        await Expect(grace.Page.Locator("#unread-divider")).ToBeVisibleAsync();

        // Linus: not listed, and the address answers 404
        await linus.Page.GotoAsync("/rooms");
        await Expect(linus.Page.Locator("#direct-list a")).ToHaveCountAsync(0);
        var response = await linus.Page.APIRequest.GetAsync(dm, new() { MaxRedirects = 0 });
        Assert.Equal(404, response.Status);

        // starting it again from Grace's side (the "new direct message" page) opens the same room
        await grace.Page.GotoAsync("/direct");
        await grace.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Ada Direct" }).CheckAsync();
        await grace.Page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await Expect(grace.Page).ToHaveURLAsync(new Regex(Regex.Escape(dm) + "$"));
        await Expect(grace.Bodies).ToHaveTextAsync(["a word in private?"]);
    }

    /// <summary>
    /// A stand-in for the browser's Notification API (headless Chromium shows none): records what
    /// the page asks for, and lets a test say the tab is hidden.
    /// </summary>
    private const string NotificationProbe = """
        window.__shown = []; window.__asked = 0; window.__hidden = false;
        Object.defineProperty(document, 'visibilityState', { get: () => window.__hidden ? 'hidden' : 'visible' });
        Object.defineProperty(document, 'hidden', { get: () => window.__hidden });
        window.Notification = function (title, options) { window.__shown.push(title + ' | ' + ((options && options.body) || '')); };
        window.Notification.permission = localStorage.getItem('probe-permission') || 'default'; // kept across pages, as a browser does
        window.Notification.requestPermission = function (cb) {
          window.__asked++; window.Notification.permission = 'granted'; localStorage.setItem('probe-permission', 'granted');
          if (cb) cb('granted'); return Promise.resolve('granted');
        };
        """;

    [Fact]
    public async Task A_hidden_tab_counts_mentions_and_direct_messages_in_its_title_and_notifies_after_permission_was_given()
    {
        await using var ada = await app.SignUpAsync("Ada Notifier");
        await using var grace = await app.SignUpAsync("Grace Notified");
        await using var linus = await app.SignUpAsync("Linus Quiet");
        var slug = await ada.CreateRoomAsync("Notify room");
        await linus.OpenRoomAsync(slug);
        await grace.Context.AddInitScriptAsync(NotificationProbe);
        await grace.OpenRoomAsync(slug);

        // permission is asked only after a click
        var enable = grace.Page.GetByRole(AriaRole.Button, new() { Name = "Turn on browser notifications" });
        await Expect(enable).ToBeVisibleAsync();
        Assert.Equal(0, await grace.Page.EvaluateAsync<int>("() => window.__asked"));
        await enable.ClickAsync();
        await Expect(enable).ToBeHiddenAsync();
        Assert.Equal(1, await grace.Page.EvaluateAsync<int>("() => window.__asked"));

        // Grace goes to general and hides the tab
        await grace.OpenRoomAsync("general");
        var title = await grace.Page.TitleAsync();
        await grace.Page.EvaluateAsync("() => { window.__hidden = true; document.dispatchEvent(new Event('visibilitychange')); }");

        await ada.SendAsync("no mention: no notification (the default is mentions only)");
        await ada.SendAsync("@Grace Notified are you there?");
        await Expect(grace.Page).ToHaveTitleAsync("(1) " + title);
        var shown = await grace.Page.EvaluateAsync<string[]>("() => window.__shown");
        Assert.Equal(["Ada Notifier mentioned you in #Notify room | @Grace Notified are you there?"], shown);

        // a direct message from Linus: the second one
        await linus.Page.GotoAsync("/direct");
        await linus.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Grace Notified" }).CheckAsync();
        await linus.Page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await linus.WaitUntilConnectedAsync();
        await linus.SendAsync("psst");
        await Expect(grace.Page).ToHaveTitleAsync("(2) " + title);
        Assert.Contains("Linus Quiet (direct message) | psst", await grace.Page.EvaluateAsync<string[]>("() => window.__shown"));

        // back to the tab: the count goes
        await grace.Page.EvaluateAsync("() => { window.__hidden = false; document.dispatchEvent(new Event('visibilitychange')); }");
        await Expect(grace.Page).ToHaveTitleAsync(title);
    }

    [Fact]
    public async Task Sign_in_rooms_room_and_direct_message_pages_have_no_serious_or_critical_axe_violations()
    {
        var anonymous = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var signIn = await anonymous.NewPageAsync();
        await signIn.GotoAsync("/Account/Login");
        await AssertAccessibleAsync(signIn, "sign-in");
        await anonymous.CloseAsync();

        await using var ada = await app.SignUpAsync("Ada Axe");
        await using var grace = await app.SignUpAsync("Grace Axe");
        await AssertAccessibleAsync(ada.Page, "rooms");
        var slug = await ada.CreateRoomAsync("Axe room");
        await grace.OpenRoomAsync(slug);
        await grace.SendAsync("@Ada Axe hello");
        await ada.Composer.PressSequentiallyAsync("@Gr");
        await Expect(ada.Page.Locator("#mention-list [role=option]")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(ada.Page, "room (with suggestions open)");
        await ada.Composer.PressAsync("Escape");

        await ada.Presence.GetByRole(AriaRole.Link, new() { Name = "Grace Axe" }).ClickAsync();
        await AssertAccessibleAsync(ada.Page, "new direct message");
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await ada.WaitUntilConnectedAsync();
        await ada.SendAsync("in private");
        await AssertAccessibleAsync(ada.Page, "direct message");
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"axe on the {what} page:\n" + string.Join("\n", bad.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

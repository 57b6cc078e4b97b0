using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// A room from the keyboard: the composer has the focus when a room opens, "Skip to content" reaches
/// it, the message list is one Tab stop whose arrow keys (and Home, End) move between messages with
/// each message's actions a Tab away, Up in an empty composer edits your own last message, Escape
/// cancels that; and the focus ring stands out (3:1 or more) on the dark bars and the selected room.
/// </summary>
public sealed class KeyboardTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task The_composer_has_the_focus_when_a_room_opens_and_Skip_to_content_reaches_it()
    {
        await using var ada = await app.SignUpAsync("Ada Keys");
        var slug = await ada.CreateRoomAsync("Keys first");
        await ada.OpenRoomAsync(slug);
        await Expect(ada.Composer).ToBeFocusedAsync();

        await ada.Page.GotoAsync($"/rooms/{slug}/members"); // elsewhere, then back by the keyboard only
        await ada.Page.GotoAsync($"/rooms/{slug}");
        await ada.WaitUntilConnectedAsync();
        await ada.Page.Locator("#top-search-q").FocusAsync(); // somewhere else
        await ada.Page.Keyboard.PressAsync("Shift+Tab");
        await ada.Page.Keyboard.PressAsync("Shift+Tab");
        var skip = ada.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Expect(skip).ToBeFocusedAsync(); // the first stop on the page
        await Expect(skip).ToBeInViewportAsync(); // and shown while it has the focus
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(ada.Composer).ToBeFocusedAsync();
        await ada.Page.Keyboard.TypeAsync("typed without a mouse");
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(ada.Bodies.Last).ToHaveTextAsync("typed without a mouse");
    }

    [Fact]
    public async Task The_message_list_is_one_Tab_stop_whose_arrow_keys_move_between_messages()
    {
        await using var ada = await app.SignUpAsync("Ada Arrows");
        await using var grace = await app.SignUpAsync("Grace Arrows");
        var slug = await ada.CreateRoomAsync("Keys arrows");
        await grace.OpenRoomAsync(slug);
        foreach (var text in new[] { "one", "two", "three" })
            await ada.SendAsync(text);
        await grace.SendAsync("four");
        await Expect(ada.Bodies).ToHaveTextAsync(["one", "two", "three", "four"]);

        // One message in the tab order (the newest), with its own actions; the rest are out of it.
        var page = ada.Page;
        Assert.Equal(["m-4"], await TabStopsAsync(page, "#messages > article"));
        Assert.Empty(await page.Locator("#messages > article:not(#m-4) :is(a, button)").EvaluateAllAsync<string[]>(
            "els => els.filter(e => e.tabIndex >= 0).map(e => e.outerHTML)"));

        // Tab from the people list backwards into the list lands on that one message.
        await page.Locator("#presence a").First.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Shift+Tab"); // past the pill (hidden, so skipped) to the message's last action
        var focused = await page.EvaluateAsync<string>("() => document.activeElement.closest('article')?.id ?? document.activeElement.outerHTML");
        Assert.Equal("m-4", focused);
        await page.Locator("#m-4").FocusAsync();

        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(page.Locator("#m-3")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(page.Locator("#m-2")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Home");
        await Expect(page.Locator("#m-1")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp"); // the first stays
        await Expect(page.Locator("#m-1")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.Locator("#m-2")).ToBeFocusedAsync();
        Assert.Equal(["m-2"], await TabStopsAsync(page, "#messages > article")); // the Tab stop moved with it

        // Tab reaches this message's actions; the next Tab leaves the list.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#m-2 .msg-actions a").First).ToBeFocusedAsync();
        var stops = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            stops.Add(await page.EvaluateAsync<string>("() => document.activeElement.closest('article')?.id ?? 'outside'"));
        }
        Assert.All(stops.TakeWhile(s => s != "outside"), s => Assert.Equal("m-2", s));
        Assert.Contains("outside", stops);

        // End: the newest; a message that arrives does not take the Tab stop away.
        await page.Locator("#m-2").FocusAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(page.Locator("#m-4")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await grace.SendAsync("five");
        await Expect(page.Locator("#m-5")).ToBeAttachedAsync();
        await Expect(page.Locator("#m-3")).ToBeFocusedAsync();
        Assert.Equal(["m-3"], await TabStopsAsync(page, "#messages > article"));
    }

    [Fact]
    public async Task Up_in_an_empty_composer_edits_your_last_message_and_Escape_cancels()
    {
        await using var ada = await app.SignUpAsync("Ada Up");
        await using var grace = await app.SignUpAsync("Grace Up");
        var slug = await ada.CreateRoomAsync("Keys up");
        await grace.OpenRoomAsync(slug);
        await ada.SendAsync("first from ada");
        await ada.SendAsync("second from ada");
        await grace.SendAsync("the last word is grace's");
        await Expect(ada.Bodies).ToHaveCountAsync(3);

        // Not empty: Up is the textarea's own (nothing opens).
        await ada.Composer.FillAsync("draft");
        await ada.Composer.PressAsync("ArrowUp");
        await Expect(ada.Page.Locator("#messages form.msg-edit-form")).ToHaveCountAsync(0);

        await ada.Composer.FillAsync("");
        await ada.Composer.PressAsync("ArrowUp");
        var editor = ada.Page.Locator("#m-2 form.msg-edit-form textarea");
        await Expect(editor).ToBeFocusedAsync();
        await Expect(editor).ToHaveValueAsync("second from ada");

        // Escape cancels: the message as it was, and the focus back on its Edit link.
        await ada.Page.Keyboard.PressAsync("Escape");
        await Expect(ada.Page.Locator("#messages form.msg-edit-form")).ToHaveCountAsync(0);
        await Expect(ada.Page.Locator("#m-2 .body")).ToHaveTextAsync("second from ada");

        // Up again, change it, Enter saves: everyone sees the edit.
        await ada.Composer.FocusAsync();
        await ada.Composer.PressAsync("ArrowUp");
        await Expect(editor).ToBeFocusedAsync();
        await editor.FillAsync("second from ada, corrected");
        await editor.PressAsync("Enter");
        await Expect(grace.Page.Locator("#m-2 .body")).ToHaveTextAsync("second from ada, corrected");
        await Expect(ada.Page.Locator("#messages form.msg-edit-form")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task The_focus_ring_has_three_to_one_contrast_on_the_bars_the_selected_room_and_the_page(string scheme)
    {
        await using var ada = await app.SignUpAsync("Ada Ring " + scheme);
        var slug = await ada.CreateRoomAsync("Ring " + scheme);
        await ada.SendAsync("a message to focus");
        var page = ada.Page;
        await page.EmulateMediaAsync(new() { ColorScheme = scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light });
        await page.ReloadAsync();
        await ada.WaitUntilConnectedAsync();
        await page.Keyboard.PressAsync("Tab"); // the keyboard is in use: :focus-visible

        var failures = new List<string>();
        foreach (var selector in new[] { "a.brand", "#top-search-q", ".sign-out button", "#drawer a.current", "#drawer a.all-rooms", "#body", "#notify-level", "#messages > article[tabindex='0']" })
        {
            var el = page.Locator(selector).First;
            await el.FocusAsync();
            var ring = await el.EvaluateAsync<double[]>(RingContrast);
            if (ring[0] < 2 || ring[1] < 3)
                failures.Add($"{selector}: ring {ring[0]} px, contrast {ring[1]:F2}:1");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static Task<string[]> TabStopsAsync(IPage page, string selector) =>
        page.Locator(selector).EvaluateAllAsync<string[]>("els => els.filter(e => e.tabIndex === 0).map(e => e.id)");

    /// <summary>
    /// The focus ring's width (outline, or an inset box-shadow) and its lowest contrast against what
    /// it is drawn on: the element's own background and the background around it.
    /// </summary>
    private const string RingContrast = """
        el => {
          if (!el.matches(":focus-visible")) return [0, 0];
          const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
          const bgOf = e => { for (; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
          const s = getComputedStyle(el);
          let width = 0, colour = null;
          if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) { width = parseFloat(s.outlineWidth); colour = parse(s.outlineColor); }
          else if (s.boxShadow.includes("inset")) { const m = s.boxShadow.match(/(rgba?\([^)]*\)).* (\d+(\.\d+)?)px/); if (m) { colour = parse(m[1]); width = parseFloat(m[2]); } }
          if (!colour) return [0, 0];
          const own = parse(s.backgroundColor), around = bgOf(s.outlineStyle !== "none" ? el.parentElement : el);
          // an outline drawn apart from the element (outline-offset) has the background around it on both sides
          const against = own.a > 0 && !(s.outlineStyle !== "none" && parseFloat(s.outlineOffset) > 0) ? [own, around] : [around];
          return [width, Math.min(...against.map(b => ratio(colour, b)))];
        }
        """;
}

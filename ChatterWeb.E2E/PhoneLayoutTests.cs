using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// A phone: no page scrolls sideways or cuts a control off at 360 px or wider, with JavaScript and
/// without; the rooms drawer (rooms, direct messages, a new one, search, theme, sign out) opens from
/// the menu button and the room's controls and who is here from the room's menu, with and without
/// JavaScript; a closed drawer holds nothing the keyboard can reach.
/// </summary>
[Collection(SiteTourCollection.Name)]
public sealed class PhoneLayoutTests(SiteTour tour)
{
    [Theory]
    [InlineData(360, true)]
    [InlineData(390, true)]
    [InlineData(360, false)]
    public async Task No_page_scrolls_sideways_or_cuts_a_control_off(int width, bool javaScript)
    {
        var failures = new List<string>();
        foreach (var signedIn in new[] { false, true })
        {
            var context = await tour.NewContextAsync(signedIn, width, 800, ColorScheme.Light, javaScript);
            foreach (var stop in tour.Stops.Where(s => s.SignedIn == signedIn))
            {
                var page = await SiteTour.VisitAsync(context, stop);
                failures.AddRange((await OverflowAsync(page)).Select(f => $"{stop.Name} ({stop.Path}): {f}"));
                await page.CloseAsync();
            }
            await context.CloseAsync();
        }
        Assert.True(failures.Count == 0, $"at {width} px, JavaScript {(javaScript ? "on" : "off")}:\n" + string.Join("\n", failures));
    }

    /// <summary>The page wider than the window, and every control shown but not wholly inside it.</summary>
    public static Task<string[]> OverflowAsync(IPage page) => page.EvaluateAsync<string[]>("""
        () => {
          const out = [];
          const doc = document.documentElement, w = doc.clientWidth;
          if (doc.scrollWidth > w) out.push(`the page is ${doc.scrollWidth} px wide in a ${w} px window`);
          for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, h1")) {
            const r = el.getBoundingClientRect(), style = getComputedStyle(el);
            if (r.width === 0 || r.height === 0 || style.visibility === "hidden" || el.closest("[hidden], .visually-hidden, .skip")) continue;
            if (r.right > w + 0.5 || r.left < -0.5) out.push(`${el.outerHTML.slice(0, 80)} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
          }
          return out;
        }
        """);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_drawer_holds_rooms_direct_messages_search_theme_and_sign_out(bool javaScript)
    {
        var context = await tour.NewContextAsync(true, 390, 844, ColorScheme.Light, javaScript);
        var page = await SiteTour.VisitAsync(context, tour.Stops.Single(s => s.Name == "room"));
        var drawer = page.Locator("#drawer");
        await Expect(drawer).ToBeHiddenAsync(); // closed: out of sight and out of the tab order
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeHiddenAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Rooms and menu" }).ClickAsync();
        await Expect(drawer).ToBeInViewportAsync(new() { Ratio = 1 });
        foreach (var name in new[] { "Tour room", "Quiet corner", "Grace Tour", "New direct message", "All rooms & new room", "Search messages" })
            await Expect(drawer.GetByRole(AriaRole.Link, new() { Name = name, Exact = false }).First).ToBeInViewportAsync();
        await Expect(drawer.GetByRole(AriaRole.Combobox, new() { Name = "Theme" })).ToBeVisibleAsync();
        await Expect(drawer.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        // A direct message is a labelled link, not a bare chip, and starting one works from here.
        await drawer.GetByRole(AriaRole.Link, new() { Name = "New direct message" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/direct$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("direct message", new() { IgnoreCase = true });
        Assert.Empty(await OverflowAsync(page));
        await context.CloseAsync();
    }

    [Fact]
    public async Task With_JavaScript_the_drawer_says_it_is_open_takes_the_focus_and_Escape_gives_it_back()
    {
        var context = await tour.NewContextAsync(true, 390, 844, ColorScheme.Light);
        var page = await SiteTour.VisitAsync(context, tour.Stops.Single(s => s.Name == "room"));
        var toggle = page.GetByRole(AriaRole.Link, new() { Name = "Rooms and menu" });
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("#drawer :focus")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#drawer")).ToBeHiddenAsync();
        await Expect(toggle).ToBeFocusedAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");

        // The room's menu: notifications, members and who is here.
        var roomMenu = page.GetByRole(AriaRole.Link, new() { Name = "Room menu" });
        await roomMenu.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Notify me" })).ToBeInViewportAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Members" })).ToBeInViewportAsync();
        await Expect(page.Locator("#presence").GetByText("Grace Tour")).ToBeInViewportAsync();
        Assert.Empty(await OverflowAsync(page));
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#room-menu")).ToBeHiddenAsync();
        await Expect(roomMenu).ToBeFocusedAsync();

        // A page without the drawer (an edit page) links to the rooms list's, which opens.
        await page.GotoAsync($"/rooms/{tour.RoomSlug}/messages/2/edit");
        await page.GetByRole(AriaRole.Link, new() { Name = "Rooms and menu" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/rooms$"));
        await Expect(page.Locator("#drawer")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Rooms and menu" })).ToHaveAttributeAsync("aria-expanded", "true");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Without_JavaScript_the_rooms_menu_opens_by_its_link()
    {
        var context = await tour.NewContextAsync(true, 390, 844, ColorScheme.Light, javaScript: false);
        var page = await SiteTour.VisitAsync(context, tour.Stops.Single(s => s.Name == "room"));
        await Expect(page.Locator("#room-menu")).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Room menu" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Notify me" })).ToBeInViewportAsync();
        await Expect(page.Locator("#presence")).ToBeInViewportAsync();
        Assert.Empty(await OverflowAsync(page));
        await context.CloseAsync();
    }
}

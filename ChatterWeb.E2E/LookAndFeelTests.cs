using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// How a room looks and answers: dark mode (the system's, or the person's choice, also without
/// JavaScript), a run of one author's messages grouped under one name, "Notify me" saved in place, the
/// tab's icon with an unread dot, eight avatar colours that are told apart, the composer's hint and
/// paperclip, a friendly empty room that says "conversation" in a direct message.
/// </summary>
public sealed class LookAndFeelTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private const string PageBackground = "() => getComputedStyle(document.documentElement).backgroundColor"; // the page's own (the body's is transparent)

    [Fact]
    public async Task Dark_mode_follows_the_system_unless_the_person_chose_and_the_choice_works_without_JavaScript()
    {
        await using var ada = await app.SignUpAsync("Ada Dark");
        var state = await ada.Context.StorageStateAsync();
        foreach (var javaScript in new[] { true, false })
        {
            var context = await app.Browser.NewContextAsync(new()
            {
                BaseURL = app.BaseUrl, StorageState = state, ColorScheme = ColorScheme.Dark, JavaScriptEnabled = javaScript,
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/rooms");
            Assert.True(IsDark(await page.EvaluateAsync<string>(PageBackground)), "a dark system gives a dark page");

            // Light, chosen on the appearance page (a plain form), holds against the system's dark and comes back to the page.
            await page.GotoAsync("/Account/Appearance?returnUrl=%2Frooms");
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Theme" }).SelectOptionAsync("light");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/rooms$"));
            Assert.False(IsDark(await page.EvaluateAsync<string>(PageBackground)), "the person chose light");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");

            // Dark under a light system, from the form in the top bar's link; then back to the system's.
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
            await page.GotoAsync("/Account/Appearance?returnUrl=%2Frooms");
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Theme" }).SelectOptionAsync("dark");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            Assert.True(IsDark(await page.EvaluateAsync<string>(PageBackground)), "the person chose dark");
            await page.GotoAsync("/Account/Appearance?returnUrl=%2Frooms");
            await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Theme" })).ToHaveValueAsync("dark");
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Theme" }).SelectOptionAsync("system");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            Assert.False(IsDark(await page.EvaluateAsync<string>(PageBackground)), "as the (light) system");
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_run_of_one_authors_messages_shows_one_name_and_avatar_live_and_after_a_reload()
    {
        await using var ada = await app.SignUpAsync("Ada Runs");
        await using var grace = await app.SignUpAsync("Grace Runs");
        var slug = await ada.CreateRoomAsync("Runs");
        await grace.OpenRoomAsync(slug);
        await ada.SendAsync("first of a run");
        await ada.SendAsync("second of a run");
        await ada.SendAsync("third of a run");
        await grace.SendAsync("someone else");
        await ada.SendAsync("ada again");
        bool[] expected = [false, true, true, false, false];

        foreach (var page in new[] { grace.Page, ada.Page })
        {
            await Expect(page.Locator("#m-5")).ToBeAttachedAsync();
            Assert.Equal(expected, await ContinuesAsync(page)); // as pushed
            await page.ReloadAsync();
            await Expect(page.Locator("#m-5")).ToBeAttachedAsync();
            Assert.Equal(expected, await ContinuesAsync(page)); // as rendered
        }

        // One name and avatar for the run: the rest show neither, but still say who wrote them to a screen reader.
        // Seen on the author's page: a reader's reload may place the "new messages" divider inside the
        // run (before what their read mark had not reached yet), and a run cut there names its author again.
        var page2 = ada.Page;
        await Expect(page2.Locator("#m-1 .author")).ToBeVisibleAsync();
        await Expect(page2.Locator("#m-1 .avatar")).ToBeVisibleAsync();
        Assert.False(await ShownAsync(page2.Locator("#m-2 .author")), "the run's second message names its author");
        await Expect(page2.Locator("#m-2 .avatar")).ToBeHiddenAsync();
        await Expect(page2.Locator("#m-2")).ToContainTextAsync("Ada Runs");
        await Expect(page2.Locator("#m-4 .author")).ToBeVisibleAsync();
        // The time of a continued message shows on hover.
        Assert.Equal("0", await page2.Locator("#m-3 time").EvaluateAsync<string>("t => getComputedStyle(t).opacity"));
        await page2.Locator("#m-3").HoverAsync();
        await Expect(page2.Locator("#m-3 time")).ToHaveCSSAsync("opacity", "1");
        // On a desktop a continued message is its text alone: no line above it for the name and time.
        var offset = await page2.Locator("#m-2").EvaluateAsync<double>("a => a.querySelector('.body').getBoundingClientRect().top - a.getBoundingClientRect().top");
        Assert.True(offset < 8, $"the continued message's text starts {offset} px below its top");

        // A page that starts inside a run names its author at the top.
        await page2.GotoAsync($"/rooms/{slug}/messages?after=1");
        Assert.True(await ShownAsync(page2.Locator("#m-2 .author")), "the page's first message does not name its author");
        Assert.False(await ShownAsync(page2.Locator("#m-3 .author")), "the run's third message names its author");
    }

    [Fact]
    public async Task Notify_me_saves_in_place_keeping_the_draft_and_says_Saved()
    {
        await using var ada = await app.SignUpAsync("Ada Notify");
        var slug = await ada.CreateRoomAsync("Notify in place");
        var page = ada.Page;
        await page.EvaluateAsync("() => { window.__samePage = true; }");
        await ada.Composer.FillAsync("a draft I am still writing");

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Notify me" }).SelectOptionAsync("Everything");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator("#notify-saved")).ToHaveTextAsync("Saved");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__samePage === true"), "the page was reloaded");
        await Expect(ada.Composer).ToHaveValueAsync("a draft I am still writing");

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Notify me" })).ToHaveValueAsync("Everything");

        // Without JavaScript: a plain form that posts and comes back to the room.
        var state = await ada.Context.StorageStateAsync();
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl, StorageState = state, JavaScriptEnabled = false });
        var plain = await context.NewPageAsync();
        await plain.GotoAsync($"/rooms/{slug}");
        await plain.GetByRole(AriaRole.Combobox, new() { Name = "Notify me" }).SelectOptionAsync("Nothing");
        await plain.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(plain).ToHaveURLAsync(new Regex($"/rooms/{slug}$"));
        await Expect(plain.GetByRole(AriaRole.Combobox, new() { Name = "Notify me" })).ToHaveValueAsync("Nothing");
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_tabs_icon_has_a_dot_while_another_room_has_unread_messages()
    {
        await using var ada = await app.SignUpAsync("Ada Icon");
        await using var grace = await app.SignUpAsync("Grace Icon");
        var here = await ada.CreateRoomAsync("Icon here");
        var there = await grace.CreateRoomAsync("Icon there");
        await ada.OpenRoomAsync(there); // a member of both
        await ada.OpenRoomAsync(here);
        var icon = ada.Page.Locator("link#favicon");
        await Expect(icon).ToHaveAttributeAsync("href", "/favicon.svg");

        await grace.SendAsync("news over there");
        await Expect(ada.Page.Locator($"#drawer a[href='/rooms/{there}'] .unread")).ToHaveAttributeAsync("data-count", "1");
        await Expect(icon).ToHaveAttributeAsync("href", "/favicon-unread.svg");

        await ada.OpenRoomAsync(there); // read: the dot goes
        await Expect(ada.Page.Locator("link#favicon")).ToHaveAttributeAsync("href", "/favicon.svg");
        var svg = await ada.Page.APIRequest.GetAsync("/favicon-unread.svg");
        Assert.Equal(200, svg.Status);
        Assert.Contains("image/svg+xml", svg.Headers["content-type"]);
    }

    [Fact]
    public async Task An_empty_room_says_hello_a_direct_message_is_a_conversation_and_the_composer_has_its_hint_and_paperclip()
    {
        await using var ada = await app.SignUpAsync("Ada Empty");
        await using var grace = await app.SignUpAsync("Grace Empty");
        var slug = await ada.CreateRoomAsync("Empty one");
        var empty = ada.Page.Locator(".empty-room");
        await Expect(empty).ToHaveTextAsync("Nothing here yet. Say hello: the first message starts the room.");
        await Expect(ada.Page.Locator("#composer-hint")).ToContainTextAsync("**bold**");
        Assert.Contains("composer-hint", await ada.Composer.GetAttributeAsync("aria-describedby") ?? "");
        await Expect(ada.Page.Locator("label.attach-pick svg.clip")).ToBeVisibleAsync(); // drawn, not a glyph a font may lack
        await Expect(ada.Page.GetByRole(AriaRole.Button, new() { Name = "Attach a file", Exact = false })).ToBeVisibleAsync();
        await ada.SendAsync("hello");
        await Expect(empty).ToBeHiddenAsync(); // the first message, pushed, ends it

        await grace.OpenRoomAsync(slug);
        await grace.Presence.GetByRole(AriaRole.Link, new() { Name = "Ada Empty" }).ClickAsync();
        await grace.Page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await grace.WaitUntilConnectedAsync();
        await Expect(grace.Page.Locator(".empty-room")).ToHaveTextAsync("Nothing here yet. Say hello: the first message starts the conversation.");
        await Expect(grace.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Direct message with Ada Empty");
        await Expect(grace.Page.Locator("a.room-menu-toggle")).ToHaveTextAsync(new Regex("Conversation menu"));
        await Expect(grace.Page.GetByRole(AriaRole.Combobox, new() { Name = "Notify me" }).Locator("option").First).ToHaveTextAsync("Default (everything)");
    }

    [Fact]
    public async Task The_eight_avatar_colours_are_distinct_and_carry_white_initials()
    {
        await using var ada = await app.SignUpAsync("Ada Palette");
        var colours = await ada.Page.EvaluateAsync<string[]>("""
            () => Array.from({ length: 8 }, (_, i) => {
              const s = document.createElement("span");
              s.className = "avatar av-" + i;
              document.body.append(s);
              const c = getComputedStyle(s).backgroundColor;
              s.remove();
              return c;
            })
            """);
        var lab = colours.Select(Lab).ToArray();
        var failures = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var white = Contrast(colours[i]);
            if (white < 4.5)
                failures.Add($"av-{i} {colours[i]}: white initials at {white:F2}:1");
            for (var j = i + 1; j < 8; j++)
            {
                // CIE76 colour difference: about 2 is barely noticeable; the old two blues were 2.6 apart.
                var d = Math.Sqrt(Math.Pow(lab[i].L - lab[j].L, 2) + Math.Pow(lab[i].A - lab[j].A, 2) + Math.Pow(lab[i].B - lab[j].B, 2));
                if (d < 15)
                    failures.Add($"av-{i} {colours[i]} and av-{j} {colours[j]} are {d:F1} apart");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Shown to the eye: more than the 1 px a visually hidden name keeps for screen readers.</summary>
    private static Task<bool> ShownAsync(ILocator element) =>
        element.EvaluateAsync<bool>("e => { const r = e.getBoundingClientRect(); return r.width > 1 && r.height > 1 && getComputedStyle(e).visibility !== 'hidden'; }");

    private static Task<bool[]> ContinuesAsync(IPage page) =>
        page.Locator("#messages > article.msg").EvaluateAllAsync<bool[]>("els => els.map(e => e.classList.contains('cont'))");

    private static double[] Rgb(string css) => Regex.Matches(css, @"[\d.]+").Take(3).Select(m => double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture) / 255).ToArray();

    private static double Linear(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    private static double Luminance(string css)
    {
        var c = Rgb(css).Select(Linear).ToArray();
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    private static double Contrast(string css) => 1.05 / (Luminance(css) + 0.05);

    private static (double L, double A, double B) Lab(string css)
    {
        var c = Rgb(css).Select(Linear).ToArray();
        double x = (0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2]) / 0.95047, y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2], z = (0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2]) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        return (116 * F(y) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }

    private static bool IsDark(string rgb)
    {
        var c = Regex.Matches(rgb, @"\d+").Select(m => int.Parse(m.Value)).ToArray();
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] < 80;
    }
}

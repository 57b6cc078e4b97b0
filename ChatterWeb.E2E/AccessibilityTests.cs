using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// axe-core finds nothing, of any impact, on every page of the app, in light and dark, at a desktop's
/// size and a phone's, and with the phone's menus and the room's pop-ups open.
/// </summary>
[Collection(SiteTourCollection.Name)]
public sealed class AccessibilityTests(SiteTour tour)
{
    public const int PhoneWidth = 390, PhoneHeight = 844;

    [Theory]
    [InlineData("light", "desktop")]
    [InlineData("dark", "desktop")]
    [InlineData("light", "phone")]
    [InlineData("dark", "phone")]
    public async Task Every_page_has_no_axe_violations(string scheme, string size)
    {
        var failures = new List<string>();
        foreach (var signedIn in new[] { false, true })
        {
            var context = await NewContextAsync(signedIn, scheme, size);
            foreach (var stop in tour.Stops.Where(s => s.SignedIn == signedIn))
            {
                var page = await SiteTour.VisitAsync(context, stop);
                failures.AddRange(await ViolationsAsync(page, $"{stop.Name} ({stop.Path})"));
                await page.CloseAsync();
            }
            await context.CloseAsync();
        }
        Assert.True(failures.Count == 0, $"axe, {scheme} at {size} size:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task The_phone_menus_and_the_rooms_pop_ups_have_no_axe_violations_when_open(string scheme)
    {
        var failures = new List<string>();
        var phone = await NewContextAsync(true, scheme, "phone");
        var room = tour.Stops.Single(s => s.Name == "room");
        var page = await SiteTour.VisitAsync(phone, room);
        await page.GetByRole(AriaRole.Link, new() { Name = "Rooms and menu" }).ClickAsync();
        await Expect(page.Locator("#drawer")).ToBeInViewportAsync();
        failures.AddRange(await ViolationsAsync(page, "the drawer open"));
        await page.Keyboard.PressAsync("Escape");
        await page.GetByRole(AriaRole.Link, new() { Name = "Room menu" }).ClickAsync();
        await Expect(page.Locator("#room-menu")).ToBeVisibleAsync();
        failures.AddRange(await ViolationsAsync(page, "the room menu open"));
        await phone.CloseAsync();

        var desktop = await NewContextAsync(true, scheme, "desktop");
        page = await SiteTour.VisitAsync(desktop, room);
        await page.Locator("#body").PressSequentiallyAsync("@Gr");
        await Expect(page.Locator("#mention-list [role=option]")).ToHaveCountAsync(1);
        failures.AddRange(await ViolationsAsync(page, "mention suggestions open"));
        await page.Locator("#body").PressAsync("Escape");
        await page.Locator("#body").FillAsync("");
        await page.Locator("#body").PressAsync("ArrowUp"); // edit the last own message in place
        await Expect(page.Locator("#messages form textarea")).ToBeFocusedAsync();
        failures.AddRange(await ViolationsAsync(page, "a message being edited"));
        await desktop.CloseAsync();
        Assert.True(failures.Count == 0, $"axe, {scheme}:\n" + string.Join("\n", failures));
    }

    private Task<IBrowserContext> NewContextAsync(bool signedIn, string scheme, string size) =>
        size == "phone"
            ? tour.NewContextAsync(signedIn, PhoneWidth, PhoneHeight, scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light)
            : tour.NewContextAsync(signedIn, 1280, 800, scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light);

    public static async Task<IEnumerable<string>> ViolationsAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        return result.Violations.Select(v =>
            $"{what}: {v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html + " " + string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))))}");
    }
}

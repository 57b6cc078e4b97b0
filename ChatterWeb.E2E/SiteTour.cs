using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// A lived-in app and the address of every page in it, for the tests that visit every page (axe, the
/// phone's width): an administrator (the first account) and a second person, a room with a run of
/// messages from each (the first pinned), an empty room, a direct message, and each page's address.
/// New contexts open as the administrator at any size and colour scheme (<see cref="NewContextAsync"/>).
/// </summary>
public sealed class SiteTour : IAsyncLifetime
{
    public sealed record Stop(string Name, string Path, bool SignedIn = true, bool HasSocket = false);

    public ChatterApp App { get; } = new();
    public IReadOnlyList<Stop> Stops { get; private set; } = [];
    public string RoomSlug { get; private set; } = "";
    private string _adminState = "";
    private Person? _ada;
    private Person? _grace;

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        _ada = await App.SignUpAsync("Ada Tour"); // the first account: an administrator
        _grace = await App.SignUpAsync("Grace Tour");
        var slug = RoomSlug = await _ada.CreateRoomAsync("Tour room");
        await _grace.OpenRoomAsync(slug);
        await SendFormattedAsync(_ada, "Morning! The **new sidebar** is in the shared folder: https://example.test/sidebar", 1);
        await SendFormattedAsync(_ada, "And _the rest_ after stand-up.", 2);
        await SendFormattedAsync(_grace, "@Ada Tour looking now, `code` too", 3);
        await SendFormattedAsync(_grace, "> a quote of it", 4);
        // The first message pinned: its marker in the room, the room's pins page.
        await _ada.Messages.First.HoverAsync();
        await _ada.Messages.First.Locator(".msg-pin").ClickAsync();
        await Expect(_ada.Page.Locator("#pin-count")).ToHaveTextAsync("Pinned (1)");
        var empty = await _ada.CreateRoomAsync("Quiet corner");

        // A direct message from the people list.
        await _ada.OpenRoomAsync(slug);
        await _ada.Presence.GetByRole(AriaRole.Link, new() { Name = "Grace Tour" }).ClickAsync();
        await Expect(_ada.Page).ToHaveURLAsync(new Regex("/direct"));
        var newDirect = new Uri(_ada.Page.Url).PathAndQuery;
        await _ada.Page.GetByRole(AriaRole.Button, new() { Name = "Start conversation" }).ClickAsync();
        await _ada.WaitUntilConnectedAsync();
        await _ada.SendAsync("A word in private.");
        var direct = new Uri(_ada.Page.Url).AbsolutePath;

        _adminState = await _ada.Context.StorageStateAsync();
        Stops =
        [
            new("sign-in", "/Account/Login", SignedIn: false),
            new("sign-up", "/Account/Register", SignedIn: false),
            new("directory sign-in's answer", "/Account/Directory", SignedIn: false),
            new("appearance (signed out)", "/Account/Appearance", SignedIn: false),
            new("error page", "/error", SignedIn: false),
            new("rooms", "/rooms"),
            new("room", $"/rooms/{slug}", HasSocket: true),
            new("empty room", $"/rooms/{empty}", HasSocket: true),
            new("members", $"/rooms/{slug}/members"),
            new("older messages", $"/rooms/{slug}/messages?before=5"),
            new("newer messages", $"/rooms/{slug}/messages?after=1"),
            new("permalink", $"/rooms/{slug}/@2"),
            new("edit", $"/rooms/{slug}/messages/1/edit"),
            new("delete", $"/rooms/{slug}/messages/1/delete"),
            new("pin", $"/rooms/{slug}/messages/1/pin"),
            new("pins", $"/rooms/{slug}/pins"),
            new("new direct message", "/direct"),
            new("new direct message with someone", newDirect),
            new("direct message", direct, HasSocket: true),
            new("search", "/search"),
            new("search results", "/search?q=sidebar"),
            new("appearance", "/Account/Appearance?returnUrl=%2Frooms"),
            new("integrations", $"/rooms/{slug}/integrations"),
            new("API tokens", "/Account/Tokens"),
            new("API reference", "/docs/api"),
            new("API reference (signed out)", "/docs/api", SignedIn: false),
            new("admin", "/admin"),
            new("sign out", "/Account/Logout"),
        ];
    }

    /// <summary>Sends text with formatting (shown otherwise than typed) and waits for it as message <paramref name="seq"/>.</summary>
    private static async Task SendFormattedAsync(Person who, string text, int seq)
    {
        await who.Composer.FillAsync(text);
        await who.Composer.PressAsync("Enter");
        await Expect(who.Composer).ToHaveValueAsync("");
        await Expect(who.Page.Locator($"#m-{seq}")).ToBeVisibleAsync();
    }

    /// <summary>A new browser context: the administrator's (or nobody's) cookies, this size, this colour scheme.</summary>
    public async Task<IBrowserContext> NewContextAsync(bool signedIn, int width, int height, ColorScheme scheme, bool javaScript = true)
    {
        var context = await App.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            StorageState = signedIn ? _adminState : null,
            JavaScriptEnabled = javaScript,
            Locale = "en-GB",
            TimezoneId = "Europe/London",
            IsMobile = width < 500,
            HasTouch = width < 500,
        });
        context.SetDefaultTimeout(20_000);
        return context;
    }

    /// <summary>Opens a stop and waits until it is laid out (a room: its socket open, the people list filled).</summary>
    public static async Task<IPage> VisitAsync(IBrowserContext context, Stop stop)
    {
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(stop.Path);
        Assert.True(response is { Ok: true }, $"{stop.Name} ({stop.Path}) answered {response?.Status}");
        if (stop.HasSocket && await page.EvaluateAsync<bool>("() => !document.documentElement.classList.contains('no-js')"))
            await Expect(page.Locator("#presence li[data-user-id]").First).ToBeAttachedAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_ada is not null)
            await _ada.DisposeAsync();
        if (_grace is not null)
            await _grace.DisposeAsync();
        await App.DisposeAsync();
    }
}

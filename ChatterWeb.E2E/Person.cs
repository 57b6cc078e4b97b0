using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// One person at one browser: their own context (so their own cookie), one page, and what the page
/// said on the console and in dialogs. The helpers act as a person would: type, press Enter, click.
/// </summary>
public sealed partial class Person : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    private Person(IBrowserContext context, IPage page, string displayName, string email)
    {
        Context = context;
        Page = page;
        DisplayName = displayName;
        Email = email;
        page.Console += (_, m) => ConsoleMessages.Enqueue($"{m.Type}: {m.Text}");
        page.PageError += (_, e) => ConsoleMessages.Enqueue($"pageerror: {e}");
        page.Dialog += (_, d) =>
        {
            Dialogs.Enqueue($"{d.Type}: {d.Message}");
            _ = AcceptsConfirms && d.Type == "confirm" ? d.AcceptAsync() : d.DismissAsync();
        };
    }

    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public string DisplayName { get; }
    public string Email { get; }

    /// <summary>Every console message and uncaught page error, in arrival order.</summary>
    public ConcurrentQueue<string> ConsoleMessages { get; } = new();

    /// <summary>Every alert/confirm/prompt the page opened (each is dismissed, but see <see cref="AcceptsConfirms"/>).</summary>
    public ConcurrentQueue<string> Dialogs { get; } = new();

    /// <summary>Answer confirm() with OK instead of Cancel.</summary>
    public bool AcceptsConfirms { get; set; }

    public ILocator Messages => Page.Locator("#messages > article.msg");
    public ILocator Bodies => Page.Locator("#messages > article.msg .body");
    public ILocator Composer => Page.Locator("#body");
    public ILocator Presence => Page.Locator("#presence");

    public static Task<Person> SignUpAsync(ChatterApp app, string displayName) =>
        SignUpAsync(app.Browser, app.BaseUrl, displayName);

    /// <summary>A new person in their own context of <paramref name="browser"/>, signed up at <paramref name="baseUrl"/>.</summary>
    public static async Task<Person> SignUpAsync(IBrowser browser, string baseUrl, string displayName)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var email = $"{Slug().Replace(displayName.ToLowerInvariant(), "-").Trim('-')}.{Guid.NewGuid():N}@example.test";
        var person = new Person(context, page, displayName, email);

        await page.GotoAsync("/Account/Register");
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.DisplayName']").FillAsync(displayName);
        await page.Locator("[name='Input.Password']").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/rooms$"));
        await Expect(page.Locator(".me-name")).ToHaveTextAsync(displayName);
        return person;
    }

    /// <summary>Opens a room and waits until its socket is open (the server pushes presence, with us in it, on connect).</summary>
    public async Task OpenRoomAsync(string slug)
    {
        await Page.GotoAsync($"/rooms/{slug}");
        await WaitUntilConnectedAsync();
    }

    public Task WaitUntilConnectedAsync() =>
        Expect(Presence.Locator("li", new() { HasText = DisplayName })).ToBeVisibleAsync();

    /// <summary>Creates an open room from the rooms list, lands in it and waits for its socket; returns the slug.</summary>
    public async Task<string> CreateRoomAsync(string name)
    {
        await Page.GotoAsync("/rooms");
        await Page.Locator("main form input[name='name' i]").FillAsync(name);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex(@"/rooms/[a-z0-9-]+$"));
        await Expect(Page.Locator(".room-head h1")).ToContainTextAsync(name);
        await WaitUntilConnectedAsync();
        return new Uri(Page.Url).AbsolutePath["/rooms/".Length..];
    }

    /// <summary>Types into the composer and presses Enter; returns once the server has acknowledged (the composer clears).</summary>
    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
        await Expect(Composer).ToHaveValueAsync("");
        await Expect(Bodies.Filter(new() { HasText = text }).Last).ToBeVisibleAsync();
    }

    /// <summary>
    /// Posts messages through the composer's plain form action (<c>POST /rooms/{slug}/messages</c>,
    /// antiforgery token from the page), the path a browser without JavaScript takes.
    /// </summary>
    public async Task PostViaFormAsync(string slug, IEnumerable<string> bodies)
    {
        var token = await Page.Locator("#composer input[name='__RequestVerificationToken']").GetAttributeAsync("value")
            ?? throw new InvalidOperationException("The composer has no antiforgery token.");
        foreach (var body in bodies)
        {
            var form = Context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token);
            form.Set("type", "message");
            form.Set("body", body);
            var response = await Context.APIRequest.PostAsync($"/rooms/{slug}/messages", new() { Form = form, MaxRedirects = 0 });
            Assert.True(response.Status == 302, $"POST /rooms/{slug}/messages answered {response.Status}: {await response.TextAsync()}");
            Assert.Matches(@"/rooms/[a-z0-9-]+#m-\d+$", response.Headers["location"]);
        }
    }

    /// <summary>
    /// Clicks "Load older messages" and waits until older messages are on the page. Scrolling the
    /// link into view can itself load the page (the pane loads older messages when scrolled to the
    /// top, and dims the link with pointer-events:none while it does), so the click is forced: it
    /// either starts the load or lands on the dimmed control while the scroll's load runs. Either
    /// way exactly one page of older messages arrives.
    /// </summary>
    public async Task LoadOlderAsync()
    {
        var oldest = await Messages.First.GetAttributeAsync("data-seq");
        var link = Page.Locator("#older").GetByRole(AriaRole.Link, new() { Name = "Load older messages" });
        if (await link.CountAsync() == 0)
        {
            // Scrolled to the top, the page loads older messages by itself (scrolling.mjs): one may be on its
            // way, or the beginning reached. Wait for the oldest message to change, or for the start.
            await Expect(Page.Locator($"#older.start, #messages > article[data-seq]:not([data-seq='{oldest}']):first-of-type")).Not.ToHaveCountAsync(0);
            return;
        }
        // A click without Playwright's scroll-into-view: scrolling to the top is itself a "load older"
        // (scrolling.mjs), which would replace the link under the click.
        await link.DispatchEventAsync("click");
        await Expect(Messages.First).Not.ToHaveAttributeAsync("data-seq", oldest!);
    }

    /// <summary>The <c>data-seq</c> of every message on the page, in DOM order.</summary>
    public async Task<long[]> SeqsAsync() =>
        (await Messages.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-seq'))")).Select(long.Parse).ToArray();

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Slug();
}

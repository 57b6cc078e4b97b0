using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// The tests' OpenID Connect provider (its own process), ChatterWeb on a real port pointed at it, and
/// Chromium: the sign-in goes through the real browser redirects.
/// </summary>
public sealed class OidcApp : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "chatter-e2e-oidc-" + Guid.NewGuid().ToString("N"));
    private Factory? _factory;

    public OidcProvider Idp { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ChatterApp.RequireChromium();
        Idp = await OidcProvider.StartAsync(
            new OidcPerson("alice", "idp password", "sub-alice", "alice@idp.test", "Alice Admin", Groups: OidcProvider.AdminGroup),
            new OidcPerson("bob", "idp password", "sub-bob", "bob@idp.test", "Bob Plain"));
        Directory.CreateDirectory(_dataDir);
        _factory = new Factory(_dataDir, Idp.AppSettings());
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseUrl = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/').Replace("localhost", "127.0.0.1");
        Browser = await ChatterApp.LaunchChromiumAsync();

        // The first account of a database is an administrator: let it be someone else.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        var page = await http.GetStringAsync("/Account/Register");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var founder = await http.PostAsync("/Account/Register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Email"] = "founder@example.test", ["Input.DisplayName"] = "Founder", ["Input.Password"] = "correct horse battery",
        }));
        Assert.Equal(HttpStatusCode.Redirect, founder.StatusCode);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        if (_factory is not null)
            await _factory.DisposeAsync();
        await Idp.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { }
    }

    private sealed class Factory(string dataDir, Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Chatter", $"Data Source={Path.Combine(dataDir, "chatter.db")}");
            builder.UseSetting("Chatter:Attachments:StoragePath", Path.Combine(dataDir, "attachments"));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Chatter:Security:SignInAttemptsPerMinute", "10000");
            builder.UseSetting("Chatter:Realtime:DrainDelay", "00:00:00");
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        }
    }
}

public sealed class OidcSignInTests(OidcApp app) : IClassFixture<OidcApp>
{
    private async Task<IPage> SignInAsync(IBrowserContext context, string user, string expectedName)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {OidcProvider.DisplayName}" }).ClickAsync();
        // The IdP's own page, on its own origin.
        await Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(app.Idp.Authority) + "/connect/authorize"), Patient);
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync("idp password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in to the IdP" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(app.BaseUrl + "/rooms", Patient);
        await Expect(page.Locator(".me-name")).ToHaveTextAsync(expectedName);
        return page;
    }

    private async Task<IBrowserContext> NewContextAsync()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>A round trip through the IdP is several requests on a machine that may be busy: more than Expect's default 5 s.</summary>
    private static readonly PageAssertionsToHaveURLOptions Patient = new() { Timeout = 15_000 };

    [Fact]
    public async Task Sign_in_through_the_IdP_use_the_room_open_admin_and_sign_out()
    {
        await using var context = await NewContextAsync();
        var page = await SignInAsync(context, "alice", "Alice Admin");

        var admin = await page.GotoAsync("/admin");
        Assert.Equal(200, admin!.Status);
        await Expect(page.Locator("#administrators")).ToContainTextAsync("Alice Admin");

        // A socket opened with this session works: presence names her, and her message comes back acknowledged.
        await page.GotoAsync("/rooms/general");
        await Expect(page.Locator("#presence li", new() { HasText = "Alice Admin" })).ToBeVisibleAsync();
        await page.Locator("#body").FillAsync("hello from the directory");
        await page.Locator("#body").PressAsync("Enter");
        await Expect(page.Locator("#body")).ToHaveValueAsync("");
        await Expect(page.Locator("#messages > article.msg .body", new() { HasText = "hello from the directory" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(app.BaseUrl + "/Account/Login", Patient);
        await page.GotoAsync("/rooms");
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Login\\?ReturnUrl="), Patient);

        // The IdP's session ended too: it asks for the password again.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Sign in with {OidcProvider.DisplayName}" }).ClickAsync();
        await Expect(page.GetByLabel("User name")).ToBeVisibleAsync(new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task A_plain_user_gets_404_for_admin()
    {
        await using var context = await NewContextAsync();
        await SignInAsync(context, "bob", "Bob Plain");
        var admin = await context.APIRequest.GetAsync("/admin"); // with the browser's cookie (an empty 404 is Chromium's own error page)
        Assert.Equal(404, admin.Status);
    }
}

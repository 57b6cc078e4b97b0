using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ChatterWeb.E2E;

/// <summary>
/// The real app on a real loopback port (Kestrel, not TestServer) with a fresh SQLite file, plus
/// one headless Chromium shared by every test of the class that uses this fixture.
/// Each test class gets its own app, database and browser, so classes run in parallel.
/// </summary>
public class ChatterApp : IAsyncLifetime
{
    /// <summary>Debian's Chromium; <c>CHATTER_E2E_CHROMIUM</c> overrides it.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHATTER_E2E_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    /// <summary>
    /// The Playwright driver (a node process) is started once per test run and shared: starting it
    /// costs seconds, and it holds no state between browsers. It ends with the test process.
    /// </summary>
    private static readonly Lazy<Task<IPlaywright>> Driver = new(Playwright.CreateAsync);

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "chatter-e2e-" + Guid.NewGuid().ToString("N"));
    private Factory? _factory;

    public string BaseUrl { get; private set; } = "";

    /// <summary>The app's services, for tests that drive it from the server side too (e.g. thousands of messages at once).</summary>
    public IServiceProvider Services => _factory!.Services;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        RequireChromium();
        Directory.CreateDirectory(_dataDir);
        _factory = new Factory(Path.Combine(_dataDir, "chatter.db"), Settings());
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/');

        Browser = await LaunchChromiumAsync();
    }

    /// <summary>Fail (never skip) when the browser is missing: a green run must mean the pages were driven.</summary>
    public static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. The end-to-end tests drive Debian's Chromium: " +
                "install it with `apt-get install -y chromium` (or set CHATTER_E2E_CHROMIUM to a Chromium binary).");
    }

    /// <summary>A headless Chromium on the shared Playwright driver, with the suite's flags.</summary>
    public static async Task<IBrowser> LaunchChromiumAsync()
    {
        var playwright = await Driver.Value;
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        if (_factory is not null)
            await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // a temp dir left behind is harmless
        }
    }

    /// <summary>A new person: their own browser context (cookies), signed up and signed in.</summary>
    public Task<Person> SignUpAsync(string displayName) => Person.SignUpAsync(this, displayName);

    /// <summary>A browser context signed in as <paramref name="who"/> with JavaScript off: the no-JS fallbacks as a person meets them.</summary>
    public async Task<IBrowserContext> WithoutJavaScriptAsync(Person who) =>
        await Browser.NewContextAsync(new() { BaseURL = BaseUrl, StorageState = await who.Context.StorageStateAsync(), JavaScriptEnabled = false });

    /// <summary>Settings of a fixture of its own (e.g. a lower limit a test needs), applied after the suite's.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings() => [];

    private sealed class Factory(string databaseFile, IEnumerable<KeyValuePair<string, string>> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Chatter", $"Data Source={databaseFile}");
            builder.UseSetting("Chatter:Attachments:StoragePath", Path.Combine(Path.GetDirectoryName(databaseFile)!, "attachments"));
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            builder.UseSetting("Chatter:Security:SignInAttemptsPerMinute", "10000"); // every browser signs up from 127.0.0.1
            builder.UseSetting("Chatter:Realtime:MessageBurst", "100000"); // tests fill rooms through the form; the rate has its own tests
            builder.UseSetting("Chatter:Realtime:MessagesPerSecond", "100000");
            builder.UseSetting("Chatter:Realtime:DrainDelay", "00:00:00");
            builder.UseSetting("Chatter:Integrations:AllowedHosts:0", "127.0.0.1"); // bots may be called on this machine only
            foreach (var (key, value) in settings)
                builder.UseSetting(key, value);
        }
    }
}

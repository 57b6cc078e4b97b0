using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// The real app on a real Kestrel loopback port with a fresh database of its own: a SQLite file by
/// default, a new database of the test run's PostgreSQL cluster for <see cref="PostgreSqlChatterServer"/>
/// (any <see cref="TestDatabase"/>). One per test class (IClassFixture), so classes never share data.
/// </summary>
public class ChatterServer : WebApplicationFactory<Program>
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "chatter-tests", Guid.NewGuid().ToString("N"));
    private int _userCounter;

    public ChatterServer() : this(null)
    {
    }

    /// <param name="database">Null: a SQLite file in the server's own folder.</param>
    protected ChatterServer(TestDatabase? database)
    {
        Directory.CreateDirectory(_dir);
        Database = database ?? new SqliteTestDatabase(DatabasePath);
        UseKestrel(0);
        StartServer();
        Database.Started(Scoped(sp => sp.GetRequiredService<ChatterDbContext>().Database.GetConnectionString())!);
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
    }

    public Uri BaseUri { get; }

    /// <summary>The server's database: its provider, and how it was made.</summary>
    public TestDatabase Database { get; }

    public DatabaseProvider Provider => Database.Provider;

    /// <summary>Every Error/Critical log the app wrote: an unhandled exception shows up here.</summary>
    public LogSink Errors { get; } = new();
    /// <summary>The SQLite file (on SQLite only).</summary>
    public string DatabasePath => Path.Combine(_dir, "chatter.db");
    public string AttachmentsPath => Path.Combine(_dir, "attachments");
    public string Origin => $"{BaseUri.Scheme}://{BaseUri.Authority}";

    /// <summary>Extra configuration for a subclass (e.g. smaller limits).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Chatter:Database:Provider", Database.Provider.ToString());
        builder.UseSetting("ConnectionStrings:Chatter", Database.ConnectionString);
        builder.UseSetting("Chatter:Attachments:StoragePath", AttachmentsPath);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Every test user signs up from 127.0.0.1; the per-IP sign-in budget has its own test.
        builder.UseSetting("Chatter:Security:SignInAttemptsPerMinute", "10000");
        // Tests post as fast as they run; the message rate has its own tests (MessageRateTests, AbuseTests).
        builder.UseSetting("Chatter:Realtime:MessageBurst", "100000");
        builder.UseSetting("Chatter:Realtime:MessagesPerSecond", "100000");
        builder.UseSetting("Chatter:Realtime:DrainDelay", "00:00:00");
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        foreach (var (key, value) in Settings())
            builder.UseSetting(key, value);
    }

    public T Scoped<T>(Func<IServiceProvider, T> use)
    {
        using var scope = Services.CreateScope();
        return use(scope.ServiceProvider);
    }

    public async Task<T> WithDbAsync<T>(Func<ChatterDbContext, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<ChatterDbContext>());
    }

    /// <summary>A browser-like client: cookies, no auto-redirect, base address set.</summary>
    public HttpClient NewBrowser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = BaseUri,
        };

    /// <summary>Signs a new person up through the real Register page.</summary>
    public async Task<TestUser> SignUpAsync(string? displayName = null, string password = "correct horse battery")
    {
        var n = Interlocked.Increment(ref _userCounter);
        displayName ??= $"User {n}";
        var email = $"user{n}-{Guid.NewGuid():N}@example.test";
        var cookies = new CookieContainer();
        var http = NewBrowser(cookies);
        var response = await PostFormAsync(http, "/Account/Register", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = displayName,
            ["Input.Password"] = password,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-up failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var userId = await WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));
        return new TestUser(this, http, cookies, userId, email, displayName, password);
    }

    /// <summary>GETs the form's page for its antiforgery token, then POSTs the fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await http.GetStringAsync(formPage ?? path);
        fields["__RequestVerificationToken"] = AntiforgeryToken(page);
        return await http.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    public static string AntiforgeryToken(string html)
    {
        var m = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        Assert.True(m.Success, "no antiforgery token on the page");
        return m.Groups[1].Value;
    }

    /// <summary>
    /// A new security stamp for the user, as a password change or "sign out everywhere" makes: in a
    /// scope of its own, or in <paramref name="scope"/> (whose UserManager then sees it too).
    /// </summary>
    public async Task ChangeSecurityStampAsync(string userId, IServiceProvider? scope = null)
    {
        await using var own = scope is null ? Services.CreateAsyncScope() : (AsyncServiceScope?)null;
        var users = (scope ?? own!.Value.ServiceProvider).GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ChatUser>>();
        await users.UpdateSecurityStampAsync((await users.FindByIdAsync(userId))!);
    }

    /// <summary>Gives the person the stored administrator role (as the first account of a database gets it).</summary>
    public async Task MakeAdministratorAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>();
        if (!await roles.RoleExistsAsync(ChatterWeb.Accounts.Administrators.Role))
            await roles.CreateAsync(new Microsoft.AspNetCore.Identity.IdentityRole(ChatterWeb.Accounts.Administrators.Role));
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<ChatUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        if (!await users.IsInRoleAsync(user, ChatterWeb.Accounts.Administrators.Role))
            await users.AddToRoleAsync(user, ChatterWeb.Accounts.Administrators.Role);
    }

    /// <summary>Signs the person in again from a new browser (whose cookie then carries their roles as they are now).</summary>
    public async Task<HttpClient> SignInAgainAsync(TestUser who)
    {
        var http = NewBrowser();
        var response = await PostFormAsync(http, "/Account/Login", new() { ["Input.Email"] = who.Email, ["Input.Password"] = who.Password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in failed: {(int)response.StatusCode}");
        return http;
    }

    /// <summary>Posts a message through the no-JavaScript form and returns its seq.</summary>
    public static async Task<long> PostViaFormAsync(TestUser who, string slug, string body)
    {
        var response = await PostFormAsync(who.Http, $"/rooms/{slug}/messages", new() { ["body"] = body }, $"/rooms/{slug}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return long.Parse(response.Headers.Location!.ToString().Split("#m-")[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sockets the server holds a place for (reserved at the upgrade, released once the server is done with the socket).</summary>
    public int SocketsHeld => Services.GetRequiredService<ChatterWeb.Delivery.SocketQuota>().ConnectionCount;

    /// <summary>
    /// Waits until the user's stream reaches <paramref name="sockets"/> sockets of theirs: a socket counts
    /// once the server has taken it in (upgraded, the request's headers dropped, listening to the stream).
    /// </summary>
    public async Task UntilStreamHasAsync(string userId, int sockets = 1)
    {
        var streams = Services.GetRequiredService<ChatterWeb.Delivery.UserSockets>();
        var deadline = DateTime.UtcNow + TestSocket.DefaultWait;
        while (streams.CountFor(userId) < sockets)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the user's stream did not reach {sockets} socket(s) within {TestSocket.DefaultWait.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    public async Task<long> RoomIdAsync(string slug) =>
        await WithDbAsync(db => Task.FromResult(db.Rooms.Single(r => r.Slug == slug).Id));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Database.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// A <see cref="ChatterServer"/> whose <see cref="AdminEmail"/> is an administrator
/// (<c>Chatter:Accounts:Admins</c>), so the classes sharing it need not care who signed up first.
/// </summary>
public class AdminServer : ChatterServer
{
    public const string AdminEmail = "admin@example.test";
    private readonly SemaphoreSlim _once = new(1, 1);
    private TestUser? _admin;

    public AdminServer() : this(null)
    {
    }

    protected AdminServer(TestDatabase? database) : base(database)
    {
    }

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Chatter:Accounts:Admins", AdminEmail)];

    /// <summary>The administrator, signed up through the real page the first time it is asked for.</summary>
    public async Task<TestUser> AdminAsync()
    {
        await _once.WaitAsync();
        try
        {
            return _admin ??= await SignUpAsAsync(AdminEmail, "The Administrator");
        }
        finally
        {
            _once.Release();
        }
    }

    /// <summary>Signs a person up with the given email through the real Register page.</summary>
    public async Task<TestUser> SignUpAsAsync(string email, string displayName, string password = "correct horse battery")
    {
        var cookies = new CookieContainer();
        var http = NewBrowser(cookies);
        var response = await PostFormAsync(http, "/Account/Register", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = displayName,
            ["Input.Password"] = password,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-up failed: {(int)response.StatusCode}");
        var userId = await WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == email).Id));
        return new TestUser(this, http, cookies, userId, email, displayName, password);
    }

    /// <summary>A sign-in through the real Login page in a new browser: its answer.</summary>
    public async Task<(HttpResponseMessage Response, HttpClient Http, CookieContainer Cookies)> SignInAsync(string email, string password)
    {
        var cookies = new CookieContainer();
        var http = NewBrowser(cookies);
        var response = await PostFormAsync(http, "/Account/Login", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        return (response, http, cookies);
    }
}

/// <summary><see cref="AdminServer"/> on a fresh PostgreSQL database.</summary>
public sealed class PostgreSqlAdminServer() : AdminServer(TestDatabase.PostgreSql());

using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

/// <summary>Served over HTTPS behind a TLS-terminating proxy on loopback.</summary>
public sealed class HttpsBehindProxyServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Security:RequireHttps", "true"),
    ];
}

/// <summary>The per-IP sign-in budget gets a server of its own, so other tests do not spend it.</summary>
public sealed class SignInBudgetServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Security:RequireHttps", "true"),
        new("Chatter:Security:SignInAttemptsPerMinute", "4"),
    ];
}

public class TransportSecurityTests(HttpsBehindProxyServer server) : IClassFixture<HttpsBehindProxyServer>
{
    /// <summary>
    /// A request as the TLS-terminating proxy forwards it. The hop is plain HTTP, so Secure cookies
    /// are carried by hand (a cookie jar would rightly refuse to send them over http).
    /// </summary>
    internal static HttpRequestMessage ViaProxy(HttpMethod method, string path, HttpContent? content = null, IEnumerable<string>? cookies = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "chat.example.com");
        if (cookies is not null)
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        return request;
    }

    internal static HttpClient NoJar(ChatterServer target) => new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = target.BaseUri };

    private HttpClient NoJar() => NoJar(server);

    [Fact]
    public async Task Over_https_the_auth_cookie_is_host_prefixed_secure_httponly_and_lax_and_hsts_is_sent()
    {
        var browser = NoJar();
        var get = await browser.SendAsync(ViaProxy(HttpMethod.Get, "/Account/Register"));
        var antiforgeryCookie = get.Headers.GetValues("Set-Cookie").ToList();
        Assert.StartsWith("__Host-chatter.af=", antiforgeryCookie.Single());
        var page = await get.Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>
        {
            ["Input.Email"] = $"https-{Guid.NewGuid():N}@example.test",
            ["Input.DisplayName"] = "Secure Sam",
            ["Input.Password"] = "long enough password",
            ["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(page),
        };
        var response = await browser.SendAsync(ViaProxy(HttpMethod.Post, "/Account/Register", new FormUrlEncodedContent(fields), antiforgeryCookie));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.Contains("chatter.auth"));
        Assert.StartsWith("__Host-chatter.auth=", cookie);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.Contains("Strict-Transport-Security"));
        // the redirect names the public origin the proxy forwarded, not the internal one
        Assert.Equal("/rooms", response.Headers.Location!.ToString());
    }
}

/// <summary>
/// A request that reaches the app as plain HTTP although the site is HTTPS-only (a proxy that forwards
/// port 80 as it is, or one that leaves out X-Forwarded-Proto): redirected or refused, never a 500.
/// </summary>
public class PlainHttpTests(HttpsBehindProxyServer server) : IClassFixture<HttpsBehindProxyServer>
{
    [Theory]
    [InlineData("/Account/Login?ReturnUrl=%2Frooms")]
    [InlineData("/Account/Register")]
    [InlineData("/rooms/general")]
    [InlineData("/")]
    public async Task A_get_is_redirected_to_the_same_url_over_https(string path)
    {
        var response = await TransportSecurityTests.NoJar(server).GetAsync(path);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal($"https://{server.BaseUri.Host}{path}", response.Headers.Location!.ToString());
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task A_post_is_refused_with_400_and_the_probes_still_answer()
    {
        var browser = TransportSecurityTests.NoJar(server);
        var post = await browser.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "a@example.test", ["Input.Password"] = "whatever it is" }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(ChatterWeb.Infrastructure.HttpsOnly.RefusalText, await post.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/readyz")).StatusCode);

        // the same page through the proxy, which says https: served
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(TransportSecurityTests.ViaProxy(HttpMethod.Get, "/Account/Login"))).StatusCode);
        Assert.Empty(server.Errors.Entries);
    }
}

public class SignInBudgetTests(SignInBudgetServer server) : IClassFixture<SignInBudgetServer>
{
    private HttpClient NoJar() => TransportSecurityTests.NoJar(server);

    private static HttpRequestMessage ViaProxy(HttpMethod method, string path, HttpContent? content = null, IEnumerable<string>? cookies = null) =>
        TransportSecurityTests.ViaProxy(method, path, content, cookies);

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_client_ip()
    {
        var browser = NoJar();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var get = await browser.SendAsync(ViaProxy(HttpMethod.Get, "/Account/Login"));
            var cookies = get.Headers.GetValues("Set-Cookie").ToList();
            var page = await get.Content.ReadAsStringAsync();
            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.Email"] = "nobody@example.test",
                ["Input.Password"] = "guess " + i,
                ["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(page),
            });
            statuses.Add((await browser.SendAsync(ViaProxy(HttpMethod.Post, "/Account/Login", form, cookies))).StatusCode);
        }
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}

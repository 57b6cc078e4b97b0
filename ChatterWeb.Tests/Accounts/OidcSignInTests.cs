using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChatterWeb.Accounts.Oidc;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Accounts;

/// <summary>A real OpenID Connect provider (the tests' OpenIddict server, its own process) and ChatterWeb pointed at it.</summary>
public sealed class OidcFixture : IAsyncLifetime
{
    public OidcProvider Idp { get; private set; } = null!;
    public ConfiguredServer App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Idp = await OidcProvider.StartAsync(
            new OidcPerson("alice", "idp password", "sub-alice", "alice@idp.test", "Alice Admin", Groups: OidcProvider.AdminGroup),
            new OidcPerson("bob", "idp password", "sub-bob", "bob@idp.test", "Bob Plain", Groups: "staff"),
            new OidcPerson("unverified", "idp password", "sub-unverified", "unverified@idp.test", "Una Verified", EmailVerified: false),
            new OidcPerson("noemail", "idp password", "sub-noemail", null, "No Email"),
            new OidcPerson("denied", "idp password", "sub-denied", "denied@idp.test", "Denied", Deny: true),
            new OidcPerson("linker", "idp password", "sub-linker", "linker@idp.test", "Linker From The IdP"),
            new OidcPerson("carol", "idp password", "sub-carol", "carol@idp.test", "Carol Leaving"));
        App = new ConfiguredServer(Idp.AppSettings());
        await App.SignUpAsync("Founder"); // the first account (an administrator by that rule) is nobody of the IdP
    }

    public async Task DisposeAsync()
    {
        App.Dispose();
        await Idp.DisposeAsync();
    }
}

public class OidcSignInTests(OidcFixture oidc) : IClassFixture<OidcFixture>
{
    private ConfiguredServer App => oidc.App;

    private Task<ChatUser?> AccountAsync(string email) =>
        App.WithDbAsync(db => Task.FromResult(db.Users.SingleOrDefault(u => u.NormalizedEmail == email.ToUpperInvariant())));

    [Fact]
    public async Task The_first_sign_in_provisions_the_account_from_the_claims_and_the_admin_group_opens_admin()
    {
        var alice = App.NewBrowser();
        var landed = await OidcFlow.SignInAsync(alice, "alice");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/rooms", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Alice Admin", await landed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/admin")).StatusCode);

        var account = (await AccountAsync("alice@idp.test"))!;
        Assert.Equal("Alice Admin", account.DisplayName);
        Assert.Null(account.PasswordHash);
        var login = Assert.Single(await App.Scoped(sp => sp.GetRequiredService<UserManager<ChatUser>>().GetLoginsAsync(account)));
        Assert.Equal((OidcSignIn.Scheme, "sub-alice"), (login.LoginProvider, login.ProviderKey));

        var bob = App.NewBrowser();
        Assert.Equal("/rooms", (await OidcFlow.SignInAsync(bob, "bob")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/admin")).StatusCode);

        // Again: the same account, not a second one.
        Assert.Equal("/rooms", (await OidcFlow.SignInAsync(App.NewBrowser(), "alice")).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(1, await App.WithDbAsync(db => Task.FromResult(db.Users.Count(u => u.Email == "alice@idp.test"))));
    }

    [Fact]
    public async Task The_app_asks_for_the_code_flow_with_PKCE_S256_state_and_nonce()
    {
        await OidcFlow.SignInAsync(App.NewBrowser(), "bob");
        var request = (await oidc.Idp.AuthorizeRequestsAsync()).First(r => r.GetValueOrDefault("client_id") == OidcProvider.ClientId);
        Assert.Equal("code", request["response_type"]);
        Assert.Equal("S256", request["code_challenge_method"]);
        Assert.True(request["code_challenge"]!.Length >= 43);
        Assert.False(string.IsNullOrEmpty(request["state"]));
        Assert.False(string.IsNullOrEmpty(request["nonce"]));
        Assert.Equal($"{App.BaseUri.ToString().TrimEnd('/')}/signin-oidc", request["redirect_uri"]);
    }

    [Fact]
    public async Task A_callback_carried_to_another_browser_signs_nobody_in()
    {
        // Login CSRF: an attacker's own code and state, delivered to a victim's browser, must not sign the victim in as the attacker.
        var attacker = App.NewBrowser();
        var callback = await OidcFlow.SignInAsync(attacker, "bob", stopAt: u => u.AbsolutePath == "/signin-oidc");
        var url = OidcFlow.Location(callback);
        Assert.Contains("code=", url.Query);

        var victim = App.NewBrowser();
        var landed = await OidcFlow.FollowAsync(victim, await victim.GetAsync(url), user: null);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Contains("did not work", await landed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await victim.GetAsync("/rooms")).StatusCode);
        Assert.Empty(App.Errors.Entries);
    }

    [Theory]
    [InlineData("unverified", "does not say that your email address is verified")]
    [InlineData("noemail", "has no email address")]
    public async Task A_token_without_a_verified_email_creates_and_links_nothing(string user, string message)
    {
        var before = await App.AccountCountAsync();
        var browser = App.NewBrowser();
        var landed = await OidcFlow.SignInAsync(browser, user);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Contains(message, await landed.Content.ReadAsStringAsync());
        Assert.Equal(before, await App.AccountCountAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/rooms")).StatusCode);
    }

    [Fact]
    public async Task An_IdP_that_answers_with_an_error_gets_an_error_page_not_a_500()
    {
        var browser = App.NewBrowser();
        var landed = await OidcFlow.SignInAsync(browser, "denied");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/Account/Directory", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("did not work", await landed.Content.ReadAsStringAsync());
        Assert.Null(await AccountAsync("denied@idp.test"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/rooms")).StatusCode);
    }

    [Fact]
    public async Task An_existing_local_account_is_linked_only_with_its_own_password()
    {
        var local = App.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(local, "/Account/Register",
            new() { ["Input.Email"] = "linker@idp.test", ["Input.DisplayName"] = "Linker", ["Input.Password"] = "the local password" })).StatusCode);

        var browser = App.NewBrowser();
        var link = await OidcFlow.SignInAsync(browser, "linker");
        Assert.Equal("/Account/Link", link.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/rooms")).StatusCode);

        var wrong = await ChatterServer.PostFormAsync(browser, "/Account/Link", new() { ["Password"] = "idp password" });
        Assert.Contains("not this account&#x27;s password", await wrong.Content.ReadAsStringAsync());
        Assert.NotNull((await AccountAsync("linker@idp.test"))!.PasswordHash);

        var linked = await ChatterServer.PostFormAsync(browser, "/Account/Link", new() { ["Password"] = "the local password" });
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Contains("Linker From The IdP", await browser.GetStringAsync("/rooms"));
        Assert.Null((await AccountAsync("linker@idp.test"))!.PasswordHash);
        var old = await ChatterServer.PostFormAsync(App.NewBrowser(), "/Account/Login", new() { ["Input.Email"] = "linker@idp.test", ["Input.Password"] = "the local password" });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
    }

    [Fact]
    public async Task Sign_out_ends_the_IdP_session_too()
    {
        var browser = App.NewBrowser();
        Assert.Equal("/rooms", (await OidcFlow.SignInAsync(browser, "carol")).RequestMessage!.RequestUri!.AbsolutePath);
        // While the IdP's session lasts, a new sign-in goes through without its form.
        Assert.Equal("/rooms", (await OidcFlow.SignInAsync(browser, user: null)).RequestMessage!.RequestUri!.AbsolutePath);

        var rooms = await browser.GetStringAsync("/rooms");
        var signOut = await browser.PostAsync("/Account/Logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(rooms) }));
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode); // a page that sends the browser on (the CSP's form-action stops a redirect)
        var html = await signOut.Content.ReadAsStringAsync();
        var toIdp = new Uri(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "id=\"end-session\" href=\"([^\"]+)\"").Groups[1].Value));
        Assert.Contains($"<meta http-equiv=\"refresh\" content=\"0;url={WebUtility.HtmlEncode(toIdp.ToString())}", html.Replace("&amp;", "&amp;"));
        Assert.Equal(new Uri(oidc.Idp.Authority).Authority, toIdp.Authority);
        Assert.Contains("id_token_hint=", toIdp.Query);
        var back = await OidcFlow.FollowAsync(browser, await browser.GetAsync(toIdp), user: null);
        Assert.Equal("/Account/Login", back.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/rooms")).StatusCode);

        var again = await OidcFlow.SignInAsync(browser, user: null);
        Assert.Contains("name=\"idp_username\"", await again.Content.ReadAsStringAsync()); // the IdP asks again
    }

    [Fact]
    public async Task An_IdP_that_goes_away_before_the_code_is_redeemed_gets_an_error_page_within_seconds()
    {
        var idp = await OidcProvider.StartAsync(new OidcPerson("dave", "idp password", "sub-dave", "dave@idp.test", "Dave"));
        using var app = new ConfiguredServer(idp.AppSettings());
        var browser = app.NewBrowser();
        var callback = await OidcFlow.SignInAsync(browser, "dave", stopAt: u => u.AbsolutePath == "/signin-oidc");
        await idp.DisposeAsync(); // killed: the token endpoint is gone

        var clock = Stopwatch.StartNew();
        var landed = await OidcFlow.FollowAsync(browser, await browser.GetAsync(OidcFlow.Location(callback)), user: null);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal("/Account/Directory", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("did not work", await landed.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.AccountCountAsync());
    }

    [Fact]
    public async Task An_IdP_that_is_down_or_silent_gets_a_clear_message_within_seconds()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try { while (true) held.Add(await silent.AcceptTcpClientAsync()); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        foreach (var authority in new[] { $"http://127.0.0.1:{LoopbackPort.Free()}", $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}" })
        {
            var settings = oidc.Idp.AppSettings();
            settings["Chatter:Auth:Oidc:Authority"] = authority;
            settings["Chatter:Auth:Oidc:Timeout"] = "00:00:02";
            using var app = new ConfiguredServer(settings);
            var browser = app.NewBrowser();
            var clock = Stopwatch.StartNew();
            var response = await OidcFlow.SignInAsync(browser, "alice");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"{authority}: answered after {clock.Elapsed}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("cannot be reached right now", await response.Content.ReadAsStringAsync());
            Assert.Equal(0, await app.AccountCountAsync());
        }
        silent.Stop();
        foreach (var client in held)
            client.Dispose();
        await accepting;
    }
}

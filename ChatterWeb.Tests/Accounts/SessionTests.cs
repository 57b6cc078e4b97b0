using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

/// <summary>
/// Sessions end on the server: a copy of the cookie taken before sign-out (a stolen cookie) opens no
/// page and no socket afterwards; one session can be ended from another browser; "sign out everywhere"
/// and a new password end the others.
/// </summary>
public abstract class SessionTests(ChatterServer server)
{
    [Fact]
    public async Task A_copy_of_the_cookie_taken_before_sign_out_opens_no_page_and_no_socket_afterwards()
    {
        var user = await server.SignUpAsync();
        var thief = StealCookies(user);
        Assert.Equal(HttpStatusCode.OK, (await server.NewBrowser(thief).GetAsync("/rooms")).StatusCode);

        await ChatterServer.PostFormAsync(user.Http, "/Account/Logout", [], "/rooms");

        var page = await server.NewBrowser(thief).GetAsync("/rooms");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/Account/Login", page.Headers.Location!.ToString());
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectAsync(server, "general", thief, server.Origin));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
    }

    [Fact]
    public async Task The_account_page_lists_sessions_and_ending_one_kills_only_that_cookie()
    {
        var user = await server.SignUpAsync();
        var laptop = await SignInAsync(user, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        var laptopCookies = StealCookies(laptop.Cookies);

        var page = await user.Http.GetStringAsync("/Account/Manage");
        Assert.Contains("Firefox on Linux", page);
        Assert.Contains("(this browser)", page);
        var sessions = Regex.Matches(page, "data-session=\"([0-9a-f]{32})\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, sessions.Count);
        var laptopSession = Regex.Match(page, "data-session=\"([0-9a-f]{32})\">\\s*<span class=\"session-browser\">Firefox on Linux").Groups[1].Value;

        var end = await ChatterServer.PostFormAsync(user.Http, "/Account/Manage?handler=End", new() { ["id"] = laptopSession }, "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await server.NewBrowser(laptopCookies).GetAsync("/rooms")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/rooms")).StatusCode);
        Assert.DoesNotContain(laptopSession, await user.Http.GetStringAsync("/Account/Manage"));
    }

    [Fact]
    public async Task Someone_else_cannot_end_a_session_that_is_not_theirs()
    {
        var user = await server.SignUpAsync();
        var other = await server.SignUpAsync();
        var mine = Regex.Match(await user.Http.GetStringAsync("/Account/Manage"), "data-session=\"([0-9a-f]{32})\"").Groups[1].Value;

        var end = await ChatterServer.PostFormAsync(other.Http, "/Account/Manage?handler=End", new() { ["id"] = mine }, "/Account/Manage");

        Assert.Equal(HttpStatusCode.NotFound, end.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/rooms")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_and_closes_the_sockets()
    {
        var user = await server.SignUpAsync();
        var phone = await SignInAsync(user, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1");
        await using var socket = await TestSocket.ConnectAsync(server, "general", phone.Cookies, server.Origin);
        await server.UntilStreamHasAsync(user.Id);

        var everywhere = await ChatterServer.PostFormAsync(user.Http, "/Account/Manage?handler=Everywhere", [], "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, everywhere.StatusCode);

        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, await socket.WaitForCloseAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await phone.Http.GetAsync("/rooms")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await user.Http.GetAsync("/rooms")).StatusCode);
    }

    [Fact]
    public async Task A_new_password_ends_the_other_sessions_and_keeps_this_one()
    {
        var user = await server.SignUpAsync();
        var other = await SignInAsync(user, "Mozilla/5.0 (Windows NT 10.0) Chrome/130.0 Safari/537.36");

        var change = await ChatterServer.PostFormAsync(user.Http, "/Account/Manage?handler=Password",
            new() { ["Password.Current"] = user.Password, ["Password.New"] = "a brand new passphrase" }, "/Account/Manage");
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/rooms")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await other.Http.GetAsync("/rooms")).StatusCode);
        var again = server.NewBrowser();
        var signIn = await ChatterServer.PostFormAsync(again, "/Account/Login", new() { ["Input.Email"] = user.Email, ["Input.Password"] = "a brand new passphrase" });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing()
    {
        var user = await server.SignUpAsync();
        var change = await ChatterServer.PostFormAsync(user.Http, "/Account/Manage?handler=Password",
            new() { ["Password.Current"] = "not my password", ["Password.New"] = "a brand new passphrase" }, "/Account/Manage");
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Contains("That is not your current password.", await change.Content.ReadAsStringAsync());
    }

    private async Task<(HttpClient Http, CookieContainer Cookies)> SignInAsync(TestUser user, string userAgent)
    {
        var cookies = new CookieContainer();
        var http = server.NewBrowser(cookies);
        http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        var response = await ChatterServer.PostFormAsync(http, "/Account/Login", new() { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (http, cookies);
    }

    private CookieContainer StealCookies(TestUser user) => StealCookies(user.Cookies);

    private CookieContainer StealCookies(CookieContainer from)
    {
        var copy = new CookieContainer();
        foreach (Cookie c in from.GetCookies(server.BaseUri))
            copy.Add(server.BaseUri, new Cookie(c.Name, c.Value, c.Path));
        return copy;
    }

    public sealed class OnSqlite(ChatterServer server) : SessionTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : SessionTests(server), IClassFixture<PostgreSqlChatterServer>;
}

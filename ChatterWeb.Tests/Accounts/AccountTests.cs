using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

public abstract class AccountTests(ChatterServer server)
{
    [Theory]
    [InlineData("/rooms")]
    [InlineData("/rooms/general")]
    [InlineData("/rooms/general/messages?before=10")]
    public async Task Pages_that_need_a_session_redirect_to_sign_in_and_come_back(string path)
    {
        var anonymous = server.NewBrowser();
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.StartsWith($"{server.BaseUri.ToString().TrimEnd('/')}/Account/Login?ReturnUrl=", location);
        Assert.Contains(Uri.EscapeDataString(path.Split('?')[0]), location);
    }

    [Fact]
    public async Task Sign_in_lands_on_the_local_return_url_and_never_on_another_site()
    {
        var user = await server.SignUpAsync();
        foreach (var (returnUrl, expected) in new[]
        {
            ("/rooms/general", "/rooms/general"),
            ("//evil.example/x", "/rooms"),
            ("/\\evil.example", "/rooms"),
            ("https://evil.example/", "/rooms"),
        })
        {
            var browser = server.NewBrowser();
            var response = await ChatterServer.PostFormAsync(browser, $"/Account/Login?returnUrl={Uri.EscapeDataString(returnUrl)}",
                new() { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password }, "/Account/Login");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(expected, response.Headers.Location!.ToString());
        }
    }

    [Fact]
    public async Task Sign_up_refuses_a_short_password()
    {
        var browser = server.NewBrowser();
        var shortPassword = await ChatterServer.PostFormAsync(browser, "/Account/Register",
            new() { ["Input.Email"] = $"new-{Guid.NewGuid():N}@example.test", ["Input.DisplayName"] = "New", ["Input.Password"] = "short" });
        Assert.Equal(HttpStatusCode.OK, shortPassword.StatusCode);
        Assert.Contains("field-error", await shortPassword.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_out_is_a_post_with_antiforgery_and_ends_the_session()
    {
        var user = await server.SignUpAsync();
        var noToken = await user.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/rooms")).StatusCode);

        var signOut = await ChatterServer.PostFormAsync(user.Http, "/Account/Logout", [], "/rooms");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await user.Http.GetAsync("/rooms")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_closes_that_users_open_sockets_with_1008()
    {
        var user = await server.SignUpAsync();
        var other = await server.SignUpAsync();
        await using var socket = await user.JoinAsync("general");
        await using var bystander = await other.JoinAsync("general");

        await ChatterServer.PostFormAsync(user.Http, "/Account/Logout", [], "/rooms");

        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, await socket.WaitForCloseAsync());
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, bystander.State);
    }

    public sealed class OnSqlite(ChatterServer server) : AccountTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : AccountTests(server), IClassFixture<PostgreSqlChatterServer>;
}

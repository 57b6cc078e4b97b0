using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

/// <summary>/admin: 200 for administrators (the first account, Chatter:Accounts:Admins), 404 for everybody else, signed in or not.</summary>
public class AdministratorTests
{
    [Fact]
    public async Task The_first_account_and_the_configured_emails_are_administrators_and_nobody_else_sees_the_page()
    {
        using var server = new ConfiguredServer([new("Chatter:Accounts:Admins", "boss@example.test , other@example.test")]);
        var first = await server.SignUpAsync("First Person");
        var plain = await server.SignUpAsync("Plain Person");

        var page = await first.Http.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("First Person", html);
        Assert.Contains("first account", html);
        Assert.DoesNotContain("Plain Person", html);
        Assert.Contains("href=\"/admin\"", await first.Http.GetStringAsync("/rooms"));

        var plainPage = await plain.Http.GetAsync("/admin");
        Assert.True(plainPage.StatusCode == HttpStatusCode.NotFound, await plainPage.Content.ReadAsStringAsync());
        Assert.DoesNotContain("href=\"/admin\"", await plain.Http.GetStringAsync("/rooms"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.NewBrowser().GetAsync("/admin")).StatusCode); // not a sign-in redirect
        Assert.Equal(HttpStatusCode.NotFound, (await server.NewBrowser().GetAsync("/admin?handler=Invite")).StatusCode);

        // A configured email is an administrator from its first sign-in.
        var boss = await SignUpAsync(server, "boss@example.test", "The Boss");
        Assert.Equal(HttpStatusCode.OK, (await boss.GetAsync("/admin")).StatusCode);
        var list = await boss.GetStringAsync("/admin");
        Assert.Contains("The Boss", list);
        Assert.Contains("Chatter:Accounts:Admins", list);
    }

    private static async Task<HttpClient> SignUpAsync(ChatterServer server, string email, string name)
    {
        var http = server.NewBrowser();
        var response = await ChatterServer.PostFormAsync(http, "/Account/Register",
            new() { ["Input.Email"] = email, ["Input.DisplayName"] = name, ["Input.Password"] = "correct horse battery" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return http;
    }
}

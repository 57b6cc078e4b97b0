using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

/// <summary>Chatter:Accounts:Registration: each policy, through the real pages.</summary>
public class RegistrationPolicyTests
{
    private static Dictionary<string, string> SignUpFields(string email) => new()
    {
        ["Input.Email"] = email,
        ["Input.DisplayName"] = "Someone",
        ["Input.Password"] = "correct horse battery",
    };

    [Fact]
    public async Task Closed_creates_no_account_however_the_form_is_posted()
    {
        using var server = new ConfiguredServer([new("Chatter:Accounts:Registration", "Closed")]);
        var browser = server.NewBrowser();

        var register = await browser.GetStringAsync("/Account/Register");
        Assert.Contains("Accounts come from the company directory", register);
        Assert.DoesNotContain("Input.Password", register);
        Assert.DoesNotContain("/Account/Register", await browser.GetStringAsync("/Account/Login"));

        // A valid antiforgery token (from the login page), every field right: still no account.
        var login = await browser.GetStringAsync("/Account/Login");
        var fields = SignUpFields("someone@example.test");
        fields["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(login);
        var posted = await browser.PostAsync("/Account/Register", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Accounts come from the company directory", await posted.Content.ReadAsStringAsync());

        // With a made-up invitation, to another URL form, without a token.
        fields["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(login);
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsync("/Account/Register?invite=x&returnUrl=/rooms", new FormUrlEncodedContent(fields))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.NewBrowser().PostAsync("/Account/Register", new FormUrlEncodedContent(SignUpFields("other@example.test")))).StatusCode);

        Assert.Equal(0, await server.AccountCountAsync());
        Assert.DoesNotContain("chatter.auth", string.Join(";", posted.Headers.TryGetValues("Set-Cookie", out var c) ? c : []));
    }

    [Fact]
    public async Task AllowedDomains_takes_only_the_listed_domains()
    {
        using var server = new ConfiguredServer([new("Chatter:Accounts:Registration", "AllowedDomains"), new("Chatter:Accounts:AllowedDomains", "example.com, corp.example.org")]);
        Assert.Contains("/Account/Register", await server.NewBrowser().GetStringAsync("/Account/Login"));

        foreach (var refused in new[] { "eve@example.net", "eve@example.com.evil.test", "eve@sub.example.com", "eve@corp.example.org.evil.test" })
        {
            var response = await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/Register", SignUpFields(refused));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Sign-up is open to addresses at example.com, corp.example.org", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, await server.AccountCountAsync());

        foreach (var allowed in new[] { "ada@example.com", "grace@CORP.example.org" })
            Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/Register", SignUpFields(allowed))).StatusCode);
        Assert.Equal(2, await server.AccountCountAsync());
    }

    [Fact]
    public void AllowedDomains_without_a_domain_does_not_start()
    {
        var e = Assert.ThrowsAny<Exception>(() => new ConfiguredServer([new("Chatter:Accounts:Registration", "AllowedDomains")]).Dispose());
        Assert.Contains("AllowedDomains is required", e.ToString());
    }

    [Fact]
    public async Task InviteOnly_takes_the_first_account_then_only_invitations_for_their_own_email()
    {
        using var server = new ConfiguredServer([new("Chatter:Accounts:Registration", "InviteOnly")]);
        var login = await server.NewBrowser().GetStringAsync("/Account/Login");
        Assert.DoesNotContain("/Account/Register", login);
        Assert.Contains("Sign-up is by invitation", login);

        // The first account of the empty database needs no invitation and becomes the administrator.
        var founder = await server.SignUpAsync("Founder");
        Assert.Equal(HttpStatusCode.OK, (await founder.Http.GetAsync("/admin")).StatusCode);

        // Nobody else without an invitation, however posted.
        var anonymous = server.NewBrowser();
        Assert.Contains("Sign-up is by invitation", await anonymous.GetStringAsync("/Account/Register"));
        var token = ChatterServer.AntiforgeryToken(await anonymous.GetStringAsync("/Account/Login"));
        var fields = SignUpFields("eve@example.test");
        fields["__RequestVerificationToken"] = token;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync("/Account/Register", new FormUrlEncodedContent(fields))).StatusCode);
        fields["__RequestVerificationToken"] = token;
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsync("/Account/Register?invite=forged", new FormUrlEncodedContent(fields))).StatusCode);
        Assert.Equal(1, await server.AccountCountAsync());

        // The administrator makes a link for one address.
        var invited = await ChatterServer.PostFormAsync(founder.Http, "/admin?handler=Invite", new() { ["InviteEmail"] = "bob@example.test" }, "/admin");
        var link = Regex.Match(await invited.Content.ReadAsStringAsync(), "id=\"invite-link\" type=\"text\" readonly value=\"([^\"]+)\"").Groups[1].Value;
        Assert.StartsWith(server.BaseUri.ToString().TrimEnd('/') + "/Account/Register?invite=", System.Net.WebUtility.HtmlDecode(link));
        var path = new Uri(System.Net.WebUtility.HtmlDecode(link)).PathAndQuery;

        var bob = server.NewBrowser();
        Assert.Contains("value=\"bob@example.test\"", await bob.GetStringAsync(path));
        var otherEmail = await ChatterServer.PostFormAsync(bob, path, SignUpFields("eve@example.test"));
        Assert.Contains("This invitation is for another email address.", await otherEmail.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(bob, path, SignUpFields("bob@example.test"))).StatusCode);
        Assert.Equal(2, await server.AccountCountAsync());

        // Spent: the account exists. Answered as a new account is (nothing says which addresses have
        // accounts), but without a session, and nothing is created.
        var again = await ChatterServer.PostFormAsync(server.NewBrowser(), path, SignUpFields("bob@example.test"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.DoesNotContain("chatter.auth", string.Join(";", again.Headers.TryGetValues("Set-Cookie", out var set) ? set : []));
        Assert.Equal(2, await server.AccountCountAsync());
    }
}

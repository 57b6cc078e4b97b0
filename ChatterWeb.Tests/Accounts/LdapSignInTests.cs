using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ChatterWeb.Accounts;
using ChatterWeb.Accounts.Ldap;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Accounts;

/// <summary>A private slapd with people and an admin group, and ChatterWeb pointed at it (the login form's LDAP path).</summary>
public sealed class LdapFixture : IAsyncLifetime
{
    public const string Password = "directory password 1";
    public SlapdServer Slapd { get; private set; } = null!;
    public ConfiguredServer App { get; private set; } = null!;
    public string AdminGroup { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slapd = await SlapdServer.StartAsync();
        await Slapd.AddPersonAsync("ada", Password, "ada@corp.test", "Ada Lovelace");
        await Slapd.AddPersonAsync("grace", Password, "grace@corp.test", "Grace Hopper");
        await Slapd.AddPersonAsync("leaver", Password, "leaver@corp.test", "Lee Ver");
        await Slapd.AddPersonAsync("nomail", Password, null, "No Mail");
        await Slapd.AddPersonAsync("twin1", Password, "twins@corp.test", "Twin One");
        await Slapd.AddPersonAsync("twin2", Password, "twins@corp.test", "Twin Two");
        await Slapd.AddPersonAsync("local", "the directory's password", "local@corp.test", "Local Person");
        AdminGroup = await Slapd.AddGroupAsync("chatter-admins", "ada");
        App = new ConfiguredServer(Slapd.AppSettings(AdminGroup));
        await App.SignUpAsync("Founder"); // the first account (an administrator by that rule) is nobody of the directory
    }

    public async Task DisposeAsync()
    {
        App.Dispose();
        await Slapd.DisposeAsync();
    }
}

public class LdapSignInTests(LdapFixture ldap) : IClassFixture<LdapFixture>
{
    private ConfiguredServer App => ldap.App;

    private async Task<(HttpResponseMessage Response, HttpClient Browser)> SignInAsync(string login, string password)
    {
        var browser = App.NewBrowser();
        var response = await ChatterServer.PostFormAsync(browser, "/Account/Login", new() { ["Input.Email"] = login, ["Input.Password"] = password });
        return (response, browser);
    }

    private Task<ChatUser?> AccountAsync(string email) =>
        App.WithDbAsync(db => Task.FromResult(db.Users.SingleOrDefault(u => u.NormalizedEmail == email.ToUpperInvariant())));

    [Fact]
    public async Task A_directory_user_signs_in_by_user_name_or_email_and_gets_an_account_from_the_directory()
    {
        Assert.Contains("Email or user name", await App.NewBrowser().GetStringAsync("/Account/Login"));
        var (response, browser) = await SignInAsync("grace", LdapFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/rooms", response.Headers.Location!.ToString());
        Assert.Contains("Grace Hopper", await browser.GetStringAsync("/rooms"));

        var account = await AccountAsync("grace@corp.test");
        Assert.NotNull(account);
        Assert.Equal("Grace Hopper", account.DisplayName);
        Assert.Null(account.PasswordHash); // the directory holds the password, not ChatterWeb
        var logins = await App.Scoped(sp => sp.GetRequiredService<UserManager<ChatUser>>().GetLoginsAsync(account));
        Assert.Equal(LdapDirectory.Provider, Assert.Single(logins).LoginProvider);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/admin")).StatusCode);

        // A later sign-in (by email this time) is the same account, with the name the directory has now.
        await ldap.Slapd.ModifyAsync($"dn: uid=grace,{SlapdServer.People}\nchangetype: modify\nreplace: displayName\ndisplayName: Rear Admiral Grace Hopper\n");
        var (byEmail, _) = await SignInAsync("grace@corp.test", LdapFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, byEmail.StatusCode);
        Assert.Equal(1, await App.WithDbAsync(db => Task.FromResult(db.Users.Count(u => u.Email == "grace@corp.test"))));
        Assert.Equal("Rear Admiral Grace Hopper", (await AccountAsync("grace@corp.test"))!.DisplayName);
    }

    [Fact]
    public async Task A_wrong_or_empty_password_is_refused_and_says_nothing_about_the_account()
    {
        var (wrong, _) = await SignInAsync("ada", "not the password");
        var (unknown, _) = await SignInAsync("nobody-here", "not the password");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(LoginModel.Mismatch), await wrong.Content.ReadAsStringAsync());
        Assert.Contains(WebUtility.HtmlEncode(LoginModel.Mismatch), await unknown.Content.ReadAsStringAsync());

        // The directory here (like many) takes a name with an empty password as an anonymous bind: the app never sends one.
        var directory = App.Services.GetRequiredService<LdapDirectory>();
        Assert.IsType<LdapResult.Refused>(await directory.AuthenticateAsync("ada", "", CancellationToken.None));
        Assert.IsType<LdapResult.Authenticated>(await directory.AuthenticateAsync("ada", LdapFixture.Password, CancellationToken.None));
    }

    [Fact]
    public async Task The_admin_group_makes_an_administrator_and_leaving_it_takes_that_away_at_the_next_sign_in()
    {
        var (response, browser) = await SignInAsync("ada", LdapFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var admin = await browser.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        var html = await admin.Content.ReadAsStringAsync();
        Assert.Contains("Ada Lovelace", html);
        Assert.Contains("directory admin group", html);

        await ldap.Slapd.ModifyAsync($"dn: {ldap.AdminGroup}\nchangetype: modify\nadd: member\nmember: uid=grace,{SlapdServer.People}\n-\ndelete: member\nmember: uid=ada,{SlapdServer.People}\n");
        try
        {
            var (again, browser2) = await SignInAsync("ada", LdapFixture.Password);
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser2.GetAsync("/admin")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/admin")).StatusCode); // the older session too: checked in the database
        }
        finally
        {
            await ldap.Slapd.ModifyAsync($"dn: {ldap.AdminGroup}\nchangetype: modify\nadd: member\nmember: uid=ada,{SlapdServer.People}\n-\ndelete: member\nmember: uid=grace,{SlapdServer.People}\n");
        }
    }

    [Fact]
    public async Task A_user_removed_from_the_directory_can_no_longer_sign_in()
    {
        var (first, _) = await SignInAsync("leaver", LdapFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.NotNull(await AccountAsync("leaver@corp.test"));

        await ldap.Slapd.DeleteAsync($"uid=leaver,{SlapdServer.People}");
        foreach (var login in new[] { "leaver", "leaver@corp.test" })
        {
            var (after, _) = await SignInAsync(login, LdapFixture.Password);
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(LoginModel.Mismatch), await after.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_filter_injection_is_a_literal_value_that_matches_nobody()
    {
        Assert.Equal(@"(|(uid=\2a\29\28uid=\2a)(mail=\2a\29\28uid=\2a)(sAMAccountName=\2a\29\28uid=\2a))",
            LdapFilter.Format(LdapOptions.DefaultUserFilter, "*)(uid=*"));

        // Each of these, unescaped, would find a person whose password is given.
        foreach (var attempt in new[] { "*)(uid=*", "gra*", "*", "grace)(uid=*", "gr\\61ce" })
        {
            var (response, browser) = await SignInAsync(attempt, LdapFixture.Password);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(LoginModel.Mismatch), await response.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/rooms")).StatusCode); // not signed in
        }
    }

    [Fact]
    public async Task A_name_that_matches_two_entries_is_refused()
    {
        var (response, _) = await SignInAsync("twins@corp.test", LdapFixture.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(LoginModel.Mismatch), await response.Content.ReadAsStringAsync());
        Assert.Null(await AccountAsync("twins@corp.test"));
    }

    [Fact]
    public async Task A_directory_user_without_an_email_is_told_so_and_nothing_is_created()
    {
        var before = await App.AccountCountAsync();
        var (response, _) = await SignInAsync("nomail", LdapFixture.Password);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("has no email address", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await App.AccountCountAsync());
    }

    [Fact]
    public async Task An_existing_local_account_is_linked_only_with_its_own_password_and_then_signs_in_through_the_directory_only()
    {
        // A local account made before the directory was switched on, same email.
        var local = App.NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(local, "/Account/Register",
            new() { ["Input.Email"] = "local@corp.test", ["Input.DisplayName"] = "Local", ["Input.Password"] = "the local password" })).StatusCode);
        var accountId = (await AccountAsync("local@corp.test"))!.Id;

        var (response, browser) = await SignInAsync("local", "the directory's password");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Link", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/rooms")).StatusCode); // not signed in yet

        var wrong = await ChatterServer.PostFormAsync(browser, "/Account/Link", new() { ["Password"] = "the directory's password" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("not this account&#x27;s password", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/rooms")).StatusCode);

        var linked = await ChatterServer.PostFormAsync(browser, "/Account/Link", new() { ["Password"] = "the local password" });
        Assert.Equal(HttpStatusCode.Redirect, linked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/rooms")).StatusCode);
        var account = (await AccountAsync("local@corp.test"))!;
        Assert.Equal(accountId, account.Id);
        Assert.Equal("Local Person", account.DisplayName);
        Assert.Null(account.PasswordHash);

        // The old local password no longer opens it; the directory's does, straight in.
        var (old, _) = await SignInAsync("local@corp.test", "the local password");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        var (again, _) = await SignInAsync("local", "the directory's password");
        Assert.Equal("/rooms", again.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_directory_that_is_unreachable_or_silent_gets_a_clear_message_within_seconds_and_local_accounts_still_sign_in()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts connections, never answers
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            try { while (true) held.Add(await silent.AcceptTcpClientAsync()); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        });
        foreach (var url in new[] { $"ldap://127.0.0.1:{LoopbackPort.Free()}", $"ldap://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}" })
        {
            var settings = ldap.Slapd.AppSettings();
            settings["Chatter:Auth:Ldap:Url"] = url;
            settings["Chatter:Auth:Ldap:Timeout"] = "00:00:01";
            using var app = new ConfiguredServer(settings);
            var local = await app.SignUpAsync("Local One");

            var clock = Stopwatch.StartNew();
            var response = await ChatterServer.PostFormAsync(app.NewBrowser(), "/Account/Login", new() { ["Input.Email"] = "ada", ["Input.Password"] = LdapFixture.Password });
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"{url}: answered after {clock.Elapsed}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(LoginModel.DirectoryDown), await response.Content.ReadAsStringAsync());
            Assert.Empty(app.Errors.Entries);

            var localSignIn = await ChatterServer.PostFormAsync(app.NewBrowser(), "/Account/Login", new() { ["Input.Email"] = local.Email, ["Input.Password"] = local.Password });
            Assert.Equal(HttpStatusCode.Redirect, localSignIn.StatusCode);
        }
        silent.Stop();
        foreach (var client in held)
            client.Dispose();
        await accepting;
    }
}

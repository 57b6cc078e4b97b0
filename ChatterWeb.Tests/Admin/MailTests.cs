using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using ChatterWeb.Accounts;
using ChatterWeb.Tests.Infrastructure;
using MimeKit;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// Mail through a real SMTP server: "forgot password" and its link (one use, every session ended, the
/// same answer for an unknown address), address verification for sign-ups (an unverified account
/// cannot be added to a closed room by its address), each mail in plain text and HTML.
/// </summary>
public abstract class MailTests(MailServer server)
{
    [Fact]
    public async Task A_reset_link_sets_a_new_password_once_and_ends_every_session()
    {
        var user = await server.SignUpAsync("Forgetful Fay");
        await using var socket = await user.JoinAsync("general");

        var asked = await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/ForgotPassword", new() { ["Email"] = user.Email });
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains(ForgotPasswordModel.Sent, WebUtility.HtmlDecode(await asked.Content.ReadAsStringAsync()));

        var mail = await server.Smtp.WaitForAsync(user.Email, "Reset your ChatterWeb password");
        AssertTextAndHtml(mail, "Forgetful Fay");
        var link = LinkIn(mail, "/Account/ResetPassword");
        Assert.StartsWith(server.BaseUri.GetLeftPart(UriPartial.Authority), link); // no public address configured: the request's
        var path = new Uri(link).PathAndQuery;

        var browser = server.NewBrowser();
        var form = await browser.GetStringAsync(path);
        Assert.Contains("Set the new password", form);
        var reset = await ChatterServer.PostFormAsync(browser, path, new() { ["Password"] = "a fresh long passphrase" });
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("Your password is changed", await reset.Content.ReadAsStringAsync());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.WaitForCloseAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await user.Http.GetAsync("/rooms")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await server.SignInAsync(user.Email, "a fresh long passphrase")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.SignInAsync(user.Email, user.Password)).Response.StatusCode); // the old one is gone

        // The same link again: used up.
        var again = server.NewBrowser();
        Assert.Contains(ResetPasswordModel.Expired, WebUtility.HtmlDecode(await again.GetStringAsync(path)));
        var replay = await ChatterServer.PostFormAsync(again, path, new() { ["Password"] = "yet another passphrase" }, "/Account/ForgotPassword");
        Assert.Contains(ResetPasswordModel.Expired, WebUtility.HtmlDecode(await replay.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await server.SignInAsync(user.Email, "a fresh long passphrase")).Response.StatusCode);

        var admin = await server.AdminAsync();
        var audit = await admin.Http.GetStringAsync("/admin/audit?person=" + Uri.EscapeDataString(user.Email));
        Assert.Contains("data-action=\"password-reset\"", audit);
        Assert.Contains("data-action=\"password-reset-requested\"", audit);
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_no_mail()
    {
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        var known = await server.SignUpAsync("Known Kim");
        var forUnknown = await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/ForgotPassword", new() { ["Email"] = unknown });
        var forKnown = await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/ForgotPassword", new() { ["Email"] = known.Email });
        Assert.Equal(MainOf(await forKnown.Content.ReadAsStringAsync()), MainOf(await forUnknown.Content.ReadAsStringAsync()));

        // The barrier: the known address's mail was queued after the unknown one's would have been, and one sender sends in order.
        await server.Smtp.WaitForAsync(known.Email, "Reset your ChatterWeb password");
        Assert.Empty(server.Smtp.To(unknown));
    }

    [Fact]
    public async Task A_signed_up_address_is_verified_by_its_link_and_only_then_can_be_added_to_a_closed_room()
    {
        var owner = await server.SignUpAsync("Closed Owner");
        var joiner = await server.SignUpAsync("Unverified Una");
        var created = await ChatterServer.PostFormAsync(owner.Http, "/rooms", new() { ["Name"] = "Verified only " + Guid.NewGuid().ToString("N")[..6], ["membersOnly"] = "true" });
        var slug = created.Headers.Location!.ToString().Split('/').Last();
        var members = $"/rooms/{slug}/members";

        var refused = await ChatterServer.PostFormAsync(owner.Http, members + "?handler=Add", new() { ["email"] = joiner.Email }, members);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("has not confirmed its email address", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await joiner.Http.GetAsync($"/rooms/{slug}")).StatusCode);

        var mail = await server.Smtp.WaitForAsync(joiner.Email, "Confirm your address");
        AssertTextAndHtml(mail, "Unverified Una");
        var path = new Uri(LinkIn(mail, "/Account/ConfirmEmail")).PathAndQuery;
        // Opening the link confirms nothing (a mail scanner may open it); the button does.
        Assert.Contains("Confirm my address", await joiner.Http.GetStringAsync(path));
        Assert.False(await server.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == joiner.Id).EmailConfirmed)));
        var confirmed = await ChatterServer.PostFormAsync(joiner.Http, path, []);
        Assert.Contains("your address is confirmed", await confirmed.Content.ReadAsStringAsync());

        var added = await ChatterServer.PostFormAsync(owner.Http, members + "?handler=Add", new() { ["email"] = joiner.Email }, members);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await joiner.Http.GetAsync($"/rooms/{slug}")).StatusCode);
    }

    [Fact]
    public async Task Verification_can_be_sent_again_from_the_account_and_sign_in_offers_a_reset()
    {
        var user = await server.SignUpAsync("Again Ana");
        await server.Smtp.WaitForAsync(user.Email, "Confirm your address");
        Assert.Contains("not confirmed yet", await user.Http.GetStringAsync("/Account/VerifyEmail"));
        var again = await ChatterServer.PostFormAsync(user.Http, "/Account/VerifyEmail", []);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await server.Smtp.WaitForAsync(user.Email, "Confirm your address", count: 2);

        Assert.Contains("href=\"/Account/ForgotPassword\"", await server.NewBrowser().GetStringAsync("/Account/Login"));
        Assert.Contains("href=\"/Account/VerifyEmail\"", await user.Http.GetStringAsync("/Account/Manage"));
    }

    internal static void AssertTextAndHtml(MimeMessage mail, string name)
    {
        Assert.Equal("chat@example.test", mail.From.Mailboxes.Single().Address);
        Assert.NotNull(mail.TextBody);
        Assert.NotNull(mail.HtmlBody);
        Assert.Contains(name, mail.TextBody);
        Assert.Contains(WebUtility.HtmlEncode(name), mail.HtmlBody);
        Assert.Contains("<a href=", mail.HtmlBody);
    }

    /// <summary>The link to <paramref name="path"/> in the text part, which the HTML part must hold too.</summary>
    internal static string LinkIn(MimeMessage mail, string path)
    {
        var link = Regex.Match(mail.TextBody ?? "", $"https?://[^\\s]+{Regex.Escape(path)}[^\\s]*").Value;
        Assert.NotEmpty(link);
        Assert.Contains(WebUtility.HtmlEncode(link), mail.HtmlBody);
        return link;
    }

    private static string MainOf(string html) => Regex.Replace(Regex.Match(html, "<main[\\s\\S]*</main>").Value, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"", "");

    public sealed class OnSqlite(MailServer server) : MailTests(server), IClassFixture<MailServer>;

    public sealed class OnPostgreSql(PostgreSqlMailServer server) : MailTests(server), IClassFixture<PostgreSqlMailServer>;
}

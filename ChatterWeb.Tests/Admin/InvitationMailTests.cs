using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// InviteOnly with mail: /admin mails the invitation; /admin/people lists the invitations still
/// waiting for their account and sends one again (a new link that works); once the account exists
/// it is no longer listed.
/// </summary>
public abstract class InvitationMailTests(InviteOnlyMailServer server)
{
    [Fact]
    public async Task An_invitation_is_mailed_sent_again_from_people_and_its_link_makes_the_account()
    {
        var admin = await server.AdminAsync();
        var guest = $"guest-{Guid.NewGuid():N}@example.test";

        var invited = await ChatterServer.PostFormAsync(admin.Http, "/admin?handler=Invite", new() { ["InviteEmail"] = guest }, "/admin");
        Assert.Equal(HttpStatusCode.OK, invited.StatusCode);
        var html = await invited.Content.ReadAsStringAsync();
        Assert.Contains("An invitation is on its way", html);
        Assert.DoesNotContain("id=\"invite-link\"", html); // mailed, not shown
        var first = await server.Smtp.WaitForAsync(guest, "You are invited to ChatterWeb");
        MailTests.AssertTextAndHtml(first, "ChatterWeb");

        var people = await admin.Http.GetStringAsync("/admin/people");
        Assert.Contains(guest, people);
        Assert.Contains("Resend invitation", people);
        var resent = await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Resend", new() { ["email"] = guest }, "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, resent.StatusCode);
        // a new link (a retried send of the first mail may arrive twice: that is not the one sent again)
        var firstLink = MailTests.LinkIn(first, "/Account/Register");
        var second = await server.Smtp.WaitForAsync(guest, "You are invited to ChatterWeb", m => MailTests.LinkIn(m, "/Account/Register") != firstLink);
        var link = MailTests.LinkIn(second, "/Account/Register");
        Assert.NotEqual(firstLink, link);

        // An address never invited cannot be "sent again" (the page is no mail relay).
        var stranger = await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Resend", new() { ["email"] = "stranger@example.test" }, "/admin/people");
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);

        var browser = server.NewBrowser();
        var path = new Uri(link).PathAndQuery;
        var signUp = await ChatterServer.PostFormAsync(browser, path, new()
        {
            ["Input.Email"] = guest,
            ["Input.DisplayName"] = "Invited Guest",
            ["Input.Password"] = "correct horse battery",
        });
        Assert.Equal(HttpStatusCode.Redirect, signUp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/rooms")).StatusCode);
        Assert.DoesNotContain("Resend invitation <span class=\"visually-hidden\">to " + guest, await admin.Http.GetStringAsync("/admin/people"));
        // An invitation proved the address: confirmed, and no verification mail. The barrier: a reset
        // mail asked for afterwards (one sender sends in the order mails were queued).
        Assert.True(await server.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Email == guest).EmailConfirmed)));
        await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/ForgotPassword", new() { ["Email"] = guest });
        await server.Smtp.WaitForAsync(guest, "Reset your ChatterWeb password");
        Assert.DoesNotContain(server.Smtp.To(guest), m => (m.Subject ?? "").Contains("Confirm", StringComparison.Ordinal));

        var audit = await admin.Http.GetStringAsync("/admin/audit?action=invitation-sent&person=" + Uri.EscapeDataString(guest));
        Assert.Contains("sent again by mail", audit);
    }

    public sealed class OnSqlite(InviteOnlyMailServer server) : InvitationMailTests(server), IClassFixture<InviteOnlyMailServer>;

    public sealed class OnPostgreSql(PostgreSqlInviteOnlyMailServer server) : InvitationMailTests(server), IClassFixture<PostgreSqlInviteOnlyMailServer>;
}

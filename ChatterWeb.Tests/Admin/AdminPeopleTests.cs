using System.Net;
using System.Net.WebSockets;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using ChatterWeb.Accounts;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// /admin/people: administrators only (404 for everyone else, GET and POST alike); search; deactivation
/// ends every session, closes every socket and refuses sign-in, and keeps the messages under the name;
/// reactivation; the administrator role granted and revoked; every change in the audit trail.
/// </summary>
public abstract class AdminPeopleTests(AdminServer server)
{
    [Fact]
    public async Task Every_admin_page_and_action_is_404_for_people_who_are_not_administrators()
    {
        await server.AdminAsync();
        var plain = await server.SignUpAsync("Plain Pat");
        var target = await server.SignUpAsync("Target Tom");
        foreach (var path in new[] { "/admin/people", "/admin/rooms", "/admin/audit", "/admin/rooms/1/members", "/admin/people?q=Tom" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await plain.Http.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await server.NewBrowser().GetAsync(path)).StatusCode); // not a sign-in redirect
        }
        // A form post with a valid antiforgery token (from a page this person may see) changes nothing.
        var token = ChatterServer.AntiforgeryToken(await plain.Http.GetStringAsync("/rooms"));
        var post = await plain.Http.PostAsync("/admin/people?handler=Deactivate",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["userId"] = target.Id, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Null(await server.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == target.Id).DeactivatedAt)));
    }

    [Fact]
    public async Task Search_finds_people_by_part_of_their_name_or_email()
    {
        var admin = await server.AdminAsync();
        var ada = await server.SignUpAsync("Ada Searchable");
        var bob = await server.SignUpAsync("Bob Other");

        var byName = await admin.Http.GetStringAsync("/admin/people?q=searchABLE");
        Assert.Contains($"data-user-id=\"{ada.Id}\"", byName);
        Assert.DoesNotContain($"data-user-id=\"{bob.Id}\"", byName);

        var byEmail = await admin.Http.GetStringAsync("/admin/people?q=" + Uri.EscapeDataString(bob.Email[..12].ToUpperInvariant()));
        Assert.Contains($"data-user-id=\"{bob.Id}\"", byEmail);
        Assert.DoesNotContain($"data-user-id=\"{ada.Id}\"", byEmail);
    }

    [Fact]
    public async Task Deactivation_ends_every_session_closes_every_socket_refuses_sign_in_and_keeps_the_messages()
    {
        var admin = await server.AdminAsync();
        var eve = await server.SignUpAsync("Eve Leaving");
        var colleague = await server.SignUpAsync("Colleague Carl");
        var laptop = await server.SignInAsync(eve.Email, eve.Password); // a second browser of hers
        Assert.Equal(HttpStatusCode.Redirect, laptop.Response.StatusCode);
        await using var socket = await eve.JoinAsync("general");
        await using var laptopSocket = await TestSocket.ConnectAsync(server, "general", laptop.Cookies, server.Origin);
        await socket.SendMessageAsync("my last words here", "last-words-" + eve.Id);
        await socket.WaitForAsync(f => f.Contains("data-ack=\"last-words-" + eve.Id + "\""));
        await using var colleagueSocket = await colleague.JoinAsync("general");
        await server.UntilStreamHasAsync(eve.Id, 2); // both of hers are taken in

        var done = await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Deactivate", new() { ["userId"] = eve.Id }, "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await socket.WaitForCloseAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await laptopSocket.WaitForCloseAsync());
        Assert.Equal(WebSocketState.Open, colleagueSocket.State); // only hers
        foreach (var http in new[] { eve.Http, laptop.Http })
        {
            var page = await http.GetAsync("/rooms");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Contains("/Account/Login", page.Headers.Location!.ToString());
        }
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectAsync(server, "general", eve.Cookies, server.Origin));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);

        // The right password gets the same answer as a wrong one, and no cookie.
        var again = await server.SignInAsync(eve.Email, eve.Password);
        Assert.Equal(HttpStatusCode.OK, again.Response.StatusCode);
        Assert.Contains(LoginModel.Mismatch, WebUtility.HtmlDecode(await again.Response.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await again.Http.GetAsync("/rooms")).StatusCode);

        // Her message stays, under her name.
        var general = await colleague.Http.GetStringAsync("/rooms/general");
        Assert.Contains("my last words here", general);
        Assert.Contains(HtmlEncoder.Default.Encode("Eve Leaving"), general);

        var people = await admin.Http.GetStringAsync("/admin/people?q=Eve%20Leaving");
        Assert.Matches($"data-user-id=\"{eve.Id}\">[\\s\\S]*?deactivated", people);
        var audit = await admin.Http.GetStringAsync("/admin/audit?action=deactivated&person=" + Uri.EscapeDataString(eve.Email));
        Assert.Contains("data-action=\"deactivated\"", audit);
        Assert.Contains("2 session(s) ended", audit);

        // Reactivated: she signs in again (afresh: the old cookies stay dead).
        var back = await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Reactivate", new() { ["userId"] = eve.Id }, "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await eve.Http.GetAsync("/rooms")).StatusCode);
        var signedIn = await server.SignInAsync(eve.Email, eve.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.Http.GetAsync("/rooms")).StatusCode);
        Assert.Contains("data-action=\"reactivated\"", await admin.Http.GetStringAsync("/admin/audit?person=" + Uri.EscapeDataString(eve.Email)));
    }

    [Fact]
    public async Task An_administrator_can_neither_deactivate_nor_demote_themselves()
    {
        var admin = await server.AdminAsync();
        foreach (var handler in new[] { "Deactivate", "Revoke" })
        {
            var response = await ChatterServer.PostFormAsync(admin.Http, $"/admin/people?handler={handler}", new() { ["userId"] = admin.Id }, "/admin/people");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("done=yourself", response.Headers.Location!.ToString());
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/admin/people")).StatusCode);
    }

    [Fact]
    public async Task Granting_makes_an_administrator_at_once_and_revoking_takes_it_away_at_once()
    {
        var admin = await server.AdminAsync();
        var pat = await server.SignUpAsync("Pat Promoted");
        Assert.Equal(HttpStatusCode.NotFound, (await pat.Http.GetAsync("/admin/people")).StatusCode);

        var grant = await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Grant", new() { ["userId"] = pat.Id }, "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, grant.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await pat.Http.GetAsync("/admin/people")).StatusCode); // same cookie: checked in the database
        Assert.Contains("Pat Promoted", await admin.Http.GetStringAsync("/admin"));

        var revoke = await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Revoke", new() { ["userId"] = pat.Id }, "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await pat.Http.GetAsync("/admin/people")).StatusCode);

        var audit = await admin.Http.GetStringAsync("/admin/audit?person=" + Uri.EscapeDataString(pat.Email));
        Assert.Contains("data-action=\"admin-granted\"", audit);
        Assert.Contains("data-action=\"admin-revoked\"", audit);
        Assert.Contains(HtmlEncoder.Default.Encode("The Administrator"), audit); // who did it
    }

    [Fact]
    public async Task Revoking_leaves_an_administrator_whom_the_configuration_names_and_says_why()
    {
        var admin = await server.AdminAsync();
        // The configured administrator given the stored role as well, then revoked by another administrator.
        var other = await server.SignUpAsync("Other Admin");
        await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Grant", new() { ["userId"] = other.Id }, "/admin/people");
        await ChatterServer.PostFormAsync(other.Http, "/admin/people?handler=Grant", new() { ["userId"] = admin.Id }, "/admin/people");
        var revoke = await ChatterServer.PostFormAsync(other.Http, "/admin/people?handler=Revoke", new() { ["userId"] = admin.Id }, "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/admin/people")).StatusCode);
        Assert.Contains("still an administrator by Chatter:Accounts:Admins", await admin.Http.GetStringAsync("/admin/audit?action=admin-revoked"));
        await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Revoke", new() { ["userId"] = other.Id }, "/admin/people");
    }

    public sealed class OnSqlite(AdminServer server) : AdminPeopleTests(server), IClassFixture<AdminServer>;

    public sealed class OnPostgreSql(PostgreSqlAdminServer server) : AdminPeopleTests(server), IClassFixture<PostgreSqlAdminServer>;
}

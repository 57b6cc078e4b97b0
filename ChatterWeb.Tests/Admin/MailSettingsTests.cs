using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// What mail settings change: without mail nothing that needs it is offered (404s, no links); with
/// Chatter:Mail:PublicUrl the links point there whatever Host the request named; a reset link dies
/// after Chatter:Mail:ResetLinkLifetime; a From that is no address stops the start.
/// </summary>
public class MailSettingsTests
{
    [Fact]
    public async Task Without_mail_nothing_that_needs_it_is_offered()
    {
        using var server = new ChatterServer();
        var user = await server.SignUpAsync("No Mail");
        Assert.DoesNotContain("ForgotPassword", await server.NewBrowser().GetStringAsync("/Account/Login"));
        Assert.DoesNotContain("VerifyEmail", await user.Http.GetStringAsync("/Account/Manage"));
        foreach (var path in new[] { "/Account/ForgotPassword", "/Account/ResetPassword?userId=x&token=y", "/Account/ConfirmEmail?userId=x&token=y", "/Account/VerifyEmail" })
            Assert.Equal(HttpStatusCode.NotFound, (await user.Http.GetAsync(path)).StatusCode);
        // and sign-ups are not held back: an unconfirmed address can be added to a closed room
        var other = await server.SignUpAsync("Added Anyway");
        var created = await ChatterServer.PostFormAsync(user.Http, "/rooms", new() { ["Name"] = "No mail room", ["membersOnly"] = "true" });
        var members = $"/rooms/{created.Headers.Location!.ToString().Split('/').Last()}/members";
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(user.Http, members + "?handler=Add", new() { ["email"] = other.Email }, members)).StatusCode);
    }

    [Fact]
    public async Task Links_use_the_public_address_and_a_reset_link_dies_after_its_lifetime()
    {
        using var server = new PublicUrlMailServer();
        var user = await server.SignUpAsync("Slow Sam");
        var http = server.NewBrowser();
        http.DefaultRequestHeaders.Host = "evil.example.test"; // a forged Host header
        await ChatterServer.PostFormAsync(http, "/Account/ForgotPassword", new() { ["Email"] = user.Email });
        var mail = await server.Smtp.WaitForAsync(user.Email, "Reset your ChatterWeb password");
        var link = MailTests.LinkIn(mail, "/Account/ResetPassword");
        Assert.StartsWith(PublicUrlMailServer.PublicUrl + "/Account/ResetPassword?", link);
        Assert.DoesNotContain("evil", mail.HtmlBody);

        var path = new Uri(link).PathAndQuery;
        // (That a fresh link works is MailTests' part: two seconds are too few to check it on a busy machine.)
        await Task.Delay(TimeSpan.FromSeconds(3)); // past its two seconds
        var late = await ChatterServer.PostFormAsync(server.NewBrowser(), path, new() { ["Password"] = "too late passphrase" }, "/Account/ForgotPassword");
        Assert.Contains(ChatterWeb.Accounts.ResetPasswordModel.Expired, WebUtility.HtmlDecode(await late.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Redirect, (await server.SignInAsync(user.Email, user.Password)).Response.StatusCode);
    }

    [Fact]
    public void A_from_that_is_not_an_address_stops_the_start()
    {
        var e = Record.Exception(() =>
        {
            using var server = new ConfiguredServer([new("Chatter:Mail:Host", "127.0.0.1"), new("Chatter:Mail:From", "not an address")]);
        });
        Assert.NotNull(e);
        Assert.Contains("Chatter:Mail", e.ToString());
    }
}

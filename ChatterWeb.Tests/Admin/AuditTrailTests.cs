using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Admin;

/// <summary>
/// /admin/audit: sign-ins and failed sign-ins (of real and unknown addresses) are written where
/// sign-in happens; the page filters by person, action and UTC day, newest first, and says
/// so when a filter is not one.
/// </summary>
public abstract class AuditTrailTests(AdminServer server)
{
    [Fact]
    public async Task Sign_ins_and_failures_of_real_and_unknown_addresses_are_recorded_and_found_by_person()
    {
        var admin = await server.AdminAsync();
        var victim = await server.SignUpAsync("Locked Lou");
        var bystander = await server.SignUpAsync("Bystander Bea");
        Assert.Equal(HttpStatusCode.Redirect, (await server.SignInAsync(victim.Email, victim.Password)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await server.SignInAsync(bystander.Email, bystander.Password)).Response.StatusCode);
        for (var i = 0; i < 3; i++) // below any lockout or throttle
            Assert.Equal(HttpStatusCode.OK, (await server.SignInAsync(victim.Email, "not the password " + i)).Response.StatusCode);
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        await server.SignInAsync(unknown, "whatever it is");

        var lou = await admin.Http.GetStringAsync("/admin/audit?person=" + Uri.EscapeDataString(victim.Email));
        var actions = Regex.Matches(lou, "data-action=\"([a-z-]+)\"").Select(m => m.Groups[1].Value).ToList();
        // newest first: three failures, the sign-in
        Assert.Equal(["sign-in-failed", "sign-in-failed", "sign-in-failed", "sign-in"], actions);
        Assert.Contains("wrong password", lou);
        Assert.Contains("127.0.0.1", lou);
        Assert.DoesNotContain(bystander.Email, lou);

        // an address with no account is found by the address typed
        var nobody = await admin.Http.GetStringAsync("/admin/audit?person=" + Uri.EscapeDataString(unknown));
        Assert.Contains("data-action=\"sign-in-failed\"", nobody);
        Assert.Contains("no such account", nobody);

        // one action only, across people
        var signIns = await admin.Http.GetStringAsync("/admin/audit?action=sign-in");
        Assert.All(Regex.Matches(signIns, "data-action=\"([a-z-]+)\"").Select(m => m.Groups[1].Value), a => Assert.Equal("sign-in", a));
        Assert.Contains(victim.Email, signIns);
        Assert.Contains(bystander.Email, signIns);
    }

    [Fact]
    public async Task Dates_are_whole_UTC_days_with_both_ends_included_and_a_bad_filter_is_said_not_ignored()
    {
        var admin = await server.AdminAsync();
        var dora = await server.SignUpAsync("Dated Dora");
        await server.SignInAsync(dora.Email, dora.Password);
        var person = "person=" + Uri.EscapeDataString(dora.Email);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd");
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");

        Assert.Contains("data-action=\"sign-in\"", await admin.Http.GetStringAsync($"/admin/audit?{person}&from={today}&to={today}"));
        Assert.DoesNotContain("data-action=", await admin.Http.GetStringAsync($"/admin/audit?{person}&from={tomorrow}"));
        Assert.DoesNotContain("data-action=", await admin.Http.GetStringAsync($"/admin/audit?{person}&to={yesterday}"));

        var bad = await admin.Http.GetAsync($"/admin/audit?{person}&from=last-tuesday");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("The dates must be days", html);
        Assert.DoesNotContain("data-action=", html);
        Assert.Contains("There is no such action", await admin.Http.GetStringAsync("/admin/audit?action=drop-tables"));
    }

    [Fact]
    public async Task The_trail_pages_back_through_older_entries()
    {
        var admin = await server.AdminAsync();
        var many = await server.SignUpAsync("Many Failures");
        for (var i = 0; i < ChatterWeb.Accounts.Audit.AuditTrail.PageSize + 5; i++)
            await server.WithDbAsync(async db =>
            {
                db.AuditEntries.Add(new ChatterWeb.Data.AuditEntry { Action = "sign-in-failed", At = DateTimeOffset.UtcNow, SubjectId = many.Id, Subject = many.Email, Detail = $"attempt {i}" });
                return await db.SaveChangesAsync();
            });
        var first = await admin.Http.GetStringAsync("/admin/audit?person=" + Uri.EscapeDataString(many.Email) + "&action=sign-in-failed");
        Assert.Equal(ChatterWeb.Accounts.Audit.AuditTrail.PageSize, Regex.Matches(first, "data-action=").Count);
        var older = WebUtility.HtmlDecode(Regex.Match(first, "href=\"(/admin/audit\\?[^\"]+)\" rel=\"next\"").Groups[1].Value);
        Assert.NotEmpty(older);
        var second = await admin.Http.GetStringAsync(older);
        Assert.Equal(5, Regex.Matches(second, "data-action=").Count);
        Assert.Contains("attempt 0<", second);
        Assert.DoesNotContain("attempt 0<", first);
    }

    public sealed class OnSqlite(AdminServer server) : AuditTrailTests(server), IClassFixture<AdminServer>;

    public sealed class OnPostgreSql(PostgreSqlAdminServer server) : AuditTrailTests(server), IClassFixture<PostgreSqlAdminServer>;
}

using System.Security.Claims;
using ChatterWeb.Accounts;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Tests.Accounts;

/// <summary>
/// The cookie's security-stamp check resolves Identity's validator only when a check is due (so a
/// socket's long-lived request scope does not keep SignInManager, UserManager and a DbContext), and
/// when it is due it still rejects a cookie whose stamp has changed (password change, sign-out everywhere).
/// </summary>
public abstract class SecurityStampTests(ChatterServer server)
{
    private static readonly TimeSpan Interval = new SecurityStampValidatorOptions().ValidationInterval;

    [Fact]
    public async Task A_changed_stamp_rejects_the_cookie_once_a_check_is_due()
    {
        var user = await server.SignUpAsync();
        await using var scope = server.Services.CreateAsyncScope();
        var principal = await PrincipalAsync(scope.ServiceProvider, user.Id);
        await server.ChangeSecurityStampAsync(user.Id, scope.ServiceProvider); // e.g. a password change elsewhere

        var due = await ValidateAsync(scope.ServiceProvider, principal, issuedAgo: Interval + TimeSpan.FromMinutes(1));

        Assert.Null(due.Principal);
    }

    [Fact]
    public async Task Before_a_check_is_due_nothing_is_looked_up()
    {
        var user = await server.SignUpAsync();
        await using var scope = server.Services.CreateAsyncScope();
        var principal = await PrincipalAsync(scope.ServiceProvider, user.Id);
        await server.ChangeSecurityStampAsync(user.Id, scope.ServiceProvider);

        // A fresh scope, as a request has: the stale stamp is not noticed, and none of Identity's
        // managers (nor a DbContext) were created in the scope for it.
        await using var request = server.Services.CreateAsyncScope();
        var recent = await ValidateAsync(request.ServiceProvider, principal, issuedAgo: TimeSpan.FromMinutes(1), signInManager: false);

        Assert.Same(principal, recent.Principal);
        Assert.False(recent.ShouldRenew);
        Assert.DoesNotContain(ServiceScopes.Resolved(request.ServiceProvider), o => o is SignInManager<ChatUser> or UserManager<ChatUser> or ChatterDbContext);
    }

    [Fact]
    public async Task An_unchanged_stamp_keeps_the_cookie_and_renews_it_when_checked()
    {
        var user = await server.SignUpAsync();
        await using var scope = server.Services.CreateAsyncScope();
        var principal = await PrincipalAsync(scope.ServiceProvider, user.Id);

        var due = await ValidateAsync(scope.ServiceProvider, principal, issuedAgo: Interval + TimeSpan.FromMinutes(1));

        Assert.NotNull(due.Principal);
        Assert.Equal(user.Id, due.Principal!.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.True(due.ShouldRenew);
    }

    [Fact]
    public async Task Cookies_in_the_default_format_are_read_and_claim_types_are_shared_strings()
    {
        var user = await server.SignUpAsync();
        await using var scope = server.Services.CreateAsyncScope();
        var principal = await PrincipalAsync(scope.ServiceProvider, user.Id);
        // What cookie authentication writes with its own defaults (a cookie issued before the app
        // had its serializer): the app must still read it.
        var defaults = new CookieAuthenticationOptions();
        new PostConfigureCookieAuthenticationOptions(scope.ServiceProvider.GetRequiredService<IDataProtectionProvider>())
            .PostConfigure(IdentityConstants.ApplicationScheme, defaults);
        var cookie = defaults.TicketDataFormat.Protect(new AuthenticationTicket(principal, IdentityConstants.ApplicationScheme));
        var app = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);

        var first = app.TicketDataFormat.Unprotect(cookie)!;
        var second = app.TicketDataFormat.Unprotect(cookie)!;

        Assert.Equal(user.Id, first.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal(principal.Claims.Select(c => (c.Type, c.Value)), first.Principal.Claims.Select(c => (c.Type, c.Value)));
        foreach (var (a, b) in first.Principal.Claims.Zip(second.Principal.Claims))
            Assert.Same(a.Type, b.Type); // one string per claim type, not one per request
        // and what the app writes, the defaults read (the format is unchanged)
        Assert.Equal(user.Id, defaults.TicketDataFormat.Unprotect(app.TicketDataFormat.Protect(first))!.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
    }

    private static async Task<ClaimsPrincipal> PrincipalAsync(IServiceProvider services, string userId)
    {
        var users = services.GetRequiredService<UserManager<ChatUser>>();
        var signIn = services.GetRequiredService<SignInManager<ChatUser>>();
        return await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(userId))!);
    }

    private static async Task<CookieValidatePrincipalContext> ValidateAsync(IServiceProvider services, ClaimsPrincipal principal, TimeSpan issuedAgo, bool signInManager = true)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        if (signInManager)
            services.GetRequiredService<SignInManager<ChatUser>>().Context = http; // a rejection signs out through it
        var scheme = new AuthenticationScheme(IdentityConstants.ApplicationScheme, null, typeof(CookieAuthenticationHandler));
        var options = services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow - issuedAgo }, scheme.Name);
        var context = new CookieValidatePrincipalContext(http, scheme, options, ticket);
        await AccountsExtensions.ValidateSecurityStampWhenDueAsync(context);
        return context;
    }

    public sealed class OnSqlite(ChatterServer server) : SecurityStampTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : SecurityStampTests(server), IClassFixture<PostgreSqlChatterServer>;
}

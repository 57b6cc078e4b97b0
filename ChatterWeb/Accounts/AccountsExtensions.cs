using System.Security.Claims;
using ChatterWeb.Accounts.Audit;
using ChatterWeb.Accounts.Ldap;
using ChatterWeb.Accounts.Oidc;
using ChatterWeb.Accounts.Sessions;
using ChatterWeb.Accounts.SignIn;
using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

public static class AccountsExtensions
{
    public static WebApplicationBuilder AddChatterAccounts(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddIdentity<ChatUser, IdentityRole>(o =>
            {
                // Length over composition rules (NIST SP 800-63B): 8+ characters, anything goes.
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = true;
                // Kept for linking a directory identity to a local account's password (Link); the sign-in
                // form uses no lockout, which would hand anyone a lock on others' accounts (SignIn/SignInThrottle).
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddEntityFrameworkStores<ChatterDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswords>()
            .AddClaimsPrincipalFactory<ChatUserClaimsFactory>();

        builder.Services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations()
            .Validate(AccountsOptions.Validate, $"{AccountsOptions.Section}:AllowedDomains is required when Registration is AllowedDomains.")
            .ValidateOnStart();
        builder.Services.AddOptions<LdapOptions>().BindConfiguration(LdapOptions.Section).ValidateDataAnnotations()
            .Validate(LdapOptions.Validate, $"{LdapOptions.Section}: Url must be ldap:// or ldaps://, SearchBase is required and UserFilter must be one filter in parentheses holding {{0}}.")
            .ValidateOnStart();
        builder.Services.AddScoped<Administrators>();
        builder.Services.AddSingleton<SignInSessions>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddSingleton<KnownBrowsers>();
        builder.Services.AddScoped<DirectorySignIn>();
        builder.Services.AddSingleton<Invites>();
        builder.Services.AddSingleton<Registration>();
        builder.Services.AddSingleton<LdapDirectory>();
        builder.AddChatterOidc();

        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/Login";
            o.Cookie.HttpOnly = true; // name and Secure flag: Infrastructure/SecurityExtensions
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.Events.OnValidatePrincipal = SessionCookie.ValidatePrincipalAsync;
            o.Events.OnSigningIn = SessionCookie.SigningInAsync;
            o.Events.OnSigningOut = SessionCookie.SigningOutAsync;
        });
        // After cookie authentication's own post-configuration (which sets the data protection
        // provider): the same protector, a serializer that shares the claim-type strings.
        builder.Services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .PostConfigure(o => o.TicketDataFormat = new SecureDataFormat<AuthenticationTicket>(
                SharedClaimTypesSerializer.Instance,
                SharedClaimTypesSerializer.ProtectorFor(o.DataProtectionProvider!, IdentityConstants.ApplicationScheme)));
        builder.AddChatterAccountControls();
        return builder;
    }

    /// <summary>
    /// Identity's security-stamp check (<see cref="SecurityStampValidator.ValidatePrincipalAsync"/>), but
    /// the validator is resolved only when a check is due (the cookie was issued more than
    /// <see cref="SecurityStampValidatorOptions.ValidationInterval"/> ago; the validator itself makes
    /// the same test first). Resolving it builds SignInManager, UserManager, RoleManager and their
    /// stores, which lease a DbContext, in the request's scope on every signed-in request; for a
    /// socket that scope lives as long as the socket, so each idle socket kept all of that (about
    /// 15 KiB) for nothing.
    /// </summary>
    internal static Task ValidateSecurityStampWhenDueAsync(CookieValidatePrincipalContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        var now = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (context.Properties.IssuedUtc is { } issued && now - issued <= options.ValidationInterval)
            return Task.CompletedTask;
        return SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    /// <summary>
    /// Puts the display name in the cookie so sockets and pages need no query for it, and the
    /// administrator role for an email listed in <c>Chatter:Accounts:Admins</c> (the stored roles come from the base).
    /// </summary>
    private sealed class ChatUserClaimsFactory(UserManager<ChatUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, IOptions<AccountsOptions> accounts)
        : UserClaimsPrincipalFactory<ChatUser, IdentityRole>(users, roles, options)
    {
        protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ChatUser user)
        {
            var identity = await base.GenerateClaimsAsync(user);
            identity.AddClaim(new Claim(UserClaims.DisplayNameClaim, user.DisplayName));
            if (user.Email is not null && accounts.Value.AdminList.Contains(user.Email, StringComparer.OrdinalIgnoreCase) && !identity.HasClaim(ClaimTypes.Role, Administrators.Role))
                identity.AddClaim(new Claim(ClaimTypes.Role, Administrators.Role));
            return identity;
        }
    }
}

using System.Security.Claims;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ChatterWeb.Accounts.Oidc;

/// <summary>
/// OpenID Connect with ASP.NET Core's handler: authorization code flow with PKCE (S256), state and
/// nonce checked by the handler, the code redeemed with the client secret, the id_token's issuer,
/// audience, lifetime and signature validated against the IdP's metadata. The handler's principal is
/// reduced to a <see cref="DirectoryIdentity"/> in Identity's external cookie; <c>/Account/Directory</c>
/// takes it from there.
/// </summary>
public static partial class OidcSignIn
{
    public const string Scheme = "oidc";
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";
    public const string FailurePath = "/Account/Directory?handler=Failed";

    public static WebApplicationBuilder AddChatterOidc(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateDataAnnotations()
            .Validate(OidcOptions.Validate, $"{OidcOptions.Section}: Authority must be an absolute https URL (http only with RequireHttpsMetadata=false) and ClientId is required.")
            .ValidateOnStart();
        var oidc = builder.Configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();
        if (!oidc.Enabled)
            return builder;
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();

        builder.Services.AddAuthentication().AddOpenIdConnect(Scheme, oidc.DisplayName, o =>
        {
            o.Authority = oidc.Authority;
            o.ClientId = oidc.ClientId;
            o.ClientSecret = oidc.ClientSecret;
            o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back on a top-level GET, so the correlation and nonce cookies can be
            // SameSite=Lax (a form_post callback would need SameSite=None, hence Secure, on every request).
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CallbackPath = CallbackPath;
            o.SignedOutCallbackPath = SignedOutCallbackPath;
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.SignOutScheme = IdentityConstants.ExternalScheme;
            o.Scope.Clear();
            foreach (var scope in new[] { "openid", "profile", "email" })
                o.Scope.Add(scope);
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = true;
            o.BackchannelTimeout = oidc.Timeout;
            o.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
            foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = security.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            }
            o.Events.OnTokenValidated = context =>
            {
                context.Principal = Identity(context.Principal!, oidc).ToPrincipal();
                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = context =>
            {
                // An IdP that refused (access_denied, a bad request), went away between the redirect and
                // the code's redemption, or a callback whose state or nonce does not match: an error page, never a 500.
                var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn));
                LogRemoteFailure(logger, context.Failure?.Message ?? "unknown");
                context.Response.Redirect(FailurePath);
                context.HandleResponse();
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToIdentityProviderForSignOut = context =>
            {
                if (context.Properties.Parameters.TryGetValue(OpenIdConnectParameterNames.IdTokenHint, out var hint) && hint is string idToken)
                    context.ProtocolMessage.IdTokenHint = idToken;
                return Task.CompletedTask;
            };
        });
        return builder;
    }

    /// <summary>The id_token's claims as a <see cref="DirectoryIdentity"/>: <c>sub</c>, <c>email</c>, the verified-email claim, <c>name</c>, <c>groups</c>.</summary>
    internal static DirectoryIdentity Identity(ClaimsPrincipal principal, OidcOptions oidc)
    {
        var subject = principal.FindFirstValue("sub") ?? throw new InvalidOperationException("The id_token has no sub claim.");
        var email = principal.FindFirstValue("email");
        var verified = string.Equals(principal.FindFirstValue(oidc.EmailVerifiedClaim), "true", StringComparison.OrdinalIgnoreCase);
        var name = principal.FindFirstValue("name") ?? principal.FindFirstValue("preferred_username");
        var groups = principal.FindAll("groups").Select(c => c.Value);
        var admin = groups.Any(g => oidc.AdminGroupList.Contains(g, StringComparer.Ordinal));
        return new DirectoryIdentity(Scheme, oidc.DisplayName, subject, string.IsNullOrWhiteSpace(email) ? null : email.Trim(), verified, name, admin);
    }

    /// <summary>
    /// Where to send the browser after the local sign-out so the IdP ends its session too: a sign-out
    /// through the handler when the session came from the IdP and its metadata offers an end-session
    /// endpoint; null otherwise (or when the IdP cannot be reached: the local sign-out stands).
    /// </summary>
    public static async Task<AuthenticationProperties?> EndSessionAsync(HttpContext http, string? idToken, string afterwards)
    {
        if (idToken is null)
            return null;
        var schemes = http.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>();
        if (await schemes.GetSchemeAsync(Scheme) is null)
            return null;
        var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIdConnectOptions>>().Get(Scheme);
        try
        {
            var configuration = await options.ConfigurationManager!.GetConfigurationAsync(http.RequestAborted);
            if (string.IsNullOrEmpty(configuration.EndSessionEndpoint))
                return null;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException)
        {
            return null;
        }
        var properties = new AuthenticationProperties { RedirectUri = afterwards };
        properties.Parameters[OpenIdConnectParameterNames.IdTokenHint] = idToken;
        return properties;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenID Connect sign-in failed: {Reason}")]
    private static partial void LogRemoteFailure(ILogger logger, string reason);
}

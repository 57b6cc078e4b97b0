using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatterWeb.TestIdentityProvider;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

// The endpoints: /.well-known/openid-configuration and /.well-known/jwks (OpenIddict), /connect/authorize
// (a sign-in form of its own, then the code), /connect/token (OpenIddict: code + PKCE + client secret),
// /connect/endsession (ends this IdP's session), /test/authorize-requests (what clients asked, for the
// tests' assertions), /healthz.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOptions<IdpOptions>().BindConfiguration("Idp");
var seen = new ConcurrentQueue<Dictionary<string, string?>>();

builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(o => o.Cookie.Name = "idp.session"); // the app under test has cookies of its own on the same host
builder.Services.AddOpenIddict().AddServer(o =>
{
    o.SetAuthorizationEndpointUris("connect/authorize")
        .SetTokenEndpointUris("connect/token")
        .SetEndSessionEndpointUris("connect/endsession");
    o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
    o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email);
    o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
    // No database: the client is checked by the handlers below, codes are self-contained.
    o.EnableDegradedMode();
    o.UseAspNetCore()
        .EnableAuthorizationEndpointPassthrough()
        .EnableEndSessionEndpointPassthrough()
        .DisableTransportSecurityRequirement();

    o.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
    {
        var idp = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOptions<IdpOptions>>().Value;
        if (context.ClientId != idp.ClientId)
            context.Reject(Errors.InvalidClient, "unknown client_id");
        else if (!RedirectAllowed(idp, context.RedirectUri))
            context.Reject(Errors.InvalidRequest, "redirect_uri not registered");
        return default;
    }));
    o.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
    {
        var idp = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOptions<IdpOptions>>().Value;
        if (context.ClientId != idp.ClientId || context.ClientSecret != idp.ClientSecret)
            context.Reject(Errors.InvalidClient, "bad client credentials");
        return default;
    }));
    o.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(b => b.UseInlineHandler(context =>
    {
        var idp = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOptions<IdpOptions>>().Value;
        if (context.PostLogoutRedirectUri is { } uri && !RedirectAllowed(idp, uri.Replace("/signout-callback-oidc", "/signin-oidc")))
            context.Reject(Errors.InvalidRequest, "post_logout_redirect_uri not registered");
        return default;
    }));
});

var app = builder.Build();
app.UseAuthentication();

app.MapGet("/healthz", () => "ok");
app.MapGet("/test/authorize-requests", () => Results.Json(seen.ToArray()));

app.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext http, IOptions<IdpOptions> options) =>
{
    var request = http.GetOpenIddictServerRequest()!;
    seen.Enqueue(request.GetParameters().ToDictionary(p => p.Key, p => (string?)p.Value));
    var session = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    var user = session.Succeeded ? options.Value.Users.FirstOrDefault(u => u.UserName == session.Principal!.Identity!.Name) : null;

    if (user is null && http.Request.Method == "POST" && http.Request.HasFormContentType && http.Request.Form.ContainsKey("idp_username"))
    {
        var form = http.Request.Form;
        user = options.Value.Users.FirstOrDefault(u => u.UserName == form["idp_username"] && u.Password == form["idp_password"]);
        if (user is not null)
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.UserName)], CookieAuthenticationDefaults.AuthenticationScheme)));
        else
            return LoginForm(http, request, "Wrong user name or password.");
    }
    if (user is null)
        return LoginForm(http, request, null);
    if (user.Deny)
        return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.AccessDenied,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "This person may not use the client.",
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
    identity.AddClaim(new Claim(Claims.Subject, user.Subject));
    if (user.Name is not null)
        identity.AddClaim(new Claim(Claims.Name, user.Name));
    if (user.Email is not null)
    {
        identity.AddClaim(new Claim(Claims.Email, user.Email));
        identity.AddClaim(new Claim(Claims.EmailVerified, user.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean));
    }
    foreach (var group in (user.Groups ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        identity.AddClaim(new Claim("groups", group));
    var principal = new ClaimsPrincipal(identity);
    principal.SetScopes(request.GetScopes());
    principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
    return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
});

app.MapMethods("/connect/endsession", ["GET", "POST"], async (HttpContext http) =>
{
    await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
});

app.Run();

static bool RedirectAllowed(IdpOptions idp, string? redirectUri)
{
    if (redirectUri is null)
        return false;
    if (idp.RedirectUri is not null)
        return redirectUri == idp.RedirectUri;
    return Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)
           && uri.AbsolutePath == "/signin-oidc" && string.IsNullOrEmpty(uri.Query);
}

static IResult LoginForm(HttpContext http, OpenIddictRequest request, string? error)
{
    var e = HtmlEncoder.Default;
    var hidden = string.Concat(request.GetParameters().Where(p => !p.Key.StartsWith("idp_", StringComparison.Ordinal))
        .Select(p => $"<input type=\"hidden\" name=\"{e.Encode(p.Key)}\" value=\"{e.Encode((string?)p.Value ?? "")}\">"));
    var html = $"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test IdP sign-in</title></head><body>
        <h1>Test IdP</h1>{(error is null ? "" : $"<p role=\"alert\">{e.Encode(error)}</p>")}
        <form method="post" action="/connect/authorize">{hidden}
        <label>User name <input name="idp_username" autocomplete="username"></label>
        <label>Password <input name="idp_password" type="password" autocomplete="current-password"></label>
        <button type="submit">Sign in to the IdP</button></form></body></html>
        """;
    return Results.Content(html, "text/html; charset=utf-8", statusCode: error is null ? 200 : 401);
}

using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ChatterWeb.Accounts.Sessions;

/// <summary>
/// Ties the auth cookie to a server-side <see cref="Data.SignInSession"/>: the session's id rides in
/// the ticket's properties (kept when the cookie is renewed or refreshed after a password change),
/// every request and socket upgrade checks that the session is still active, and sign-out ends it.
/// </summary>
public static class SessionCookie
{
    /// <summary>The ticket property holding the session id.</summary>
    public const string Key = "chatter.sid";

    /// <summary>The request item holding the user id the session was validated for.</summary>
    private const string UserKey = "chatter.sid.user";

    public static string? SessionId(AuthenticationProperties? properties) =>
        properties is not null && properties.Items.TryGetValue(Key, out var id) && !string.IsNullOrEmpty(id) ? id : null;

    /// <summary>The session of the current request (null when signed out), as validated for it.</summary>
    public static string? Current(HttpContext http) => http.Items[Key] as string;

    /// <summary>A new sign-in starts a session; a refresh (password change, new claims) keeps the one it has.</summary>
    public static async Task SigningInAsync(CookieSigningInContext context)
    {
        if (SessionId(context.Properties) is not null)
            return;
        var userId = context.Principal?.UserId();
        if (userId is null)
            return;
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
        var id = await sessions.StartAsync(userId, context.HttpContext.Request.Headers.UserAgent, context.HttpContext.RequestAborted);
        context.Properties.Items[Key] = id;
        context.HttpContext.Items[Key] = id;
        context.HttpContext.Items[UserKey] = userId;
    }

    /// <summary>
    /// On every request and socket upgrade: a cookie without a session, or whose session ended, is
    /// refused (the request is anonymous); then Identity's security-stamp check when it is due.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var id = SessionId(context.Properties);
        var userId = context.Principal?.UserId();
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SignInSessions>();
        if (id is null || userId is null || !await sessions.IsActiveAsync(id, userId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            return;
        }
        context.HttpContext.Items[Key] = id;
        context.HttpContext.Items[UserKey] = userId;
        await AccountsExtensions.ValidateSecurityStampWhenDueAsync(context);
    }

    /// <summary>
    /// Sign-out ends this browser's session on the server, so a copy of the cookie dies with it. The
    /// session is the one this request was validated with (asking the handler again from here would
    /// re-enter it when a failed stamp check signs out).
    /// </summary>
    public static async Task SigningOutAsync(CookieSigningOutContext context)
    {
        if (Current(context.HttpContext) is { } id && context.HttpContext.Items[UserKey] is string userId)
            await context.HttpContext.RequestServices.GetRequiredService<SignInSessions>().EndAsync(userId, id, CancellationToken.None);
        context.HttpContext.Items.Remove(Key);
        context.HttpContext.Items.Remove(UserKey);
    }
}

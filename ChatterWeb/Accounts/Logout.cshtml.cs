using ChatterWeb.Accounts.Oidc;
using ChatterWeb.Infrastructure;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Accounts;

/// <summary>
/// Sign-out is a POST with antiforgery; it also closes the user's open sockets (1008: htmx stays
/// closed), and, for a session that came from OpenID Connect, asks the IdP to end its session too when
/// it offers that.
/// </summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<ChatUser> signIn, ISocketControl sockets) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : Redirect("/Account/Login");

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = User.UserId();
        var session = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var idToken = session.Properties?.GetTokenValue("id_token");
        await signIn.SignOutAsync();
        if (userId is not null)
            await sockets.CloseUserAsync(userId, "signed out");
        if (await OidcSignIn.EndSessionAsync(HttpContext, idToken, "/Account/Login") is { } endSession)
        {
            // The handler answers with a redirect to the IdP's end-session endpoint. A redirect to another
            // origin after a form POST is stopped by the page's CSP (form-action 'self'), so the browser is
            // sent on by a page instead (meta refresh, and a link).
            await HttpContext.SignOutAsync(OidcSignIn.Scheme, endSession);
            if (Response.StatusCode == StatusCodes.Status302Found && Response.Headers.Location.ToString() is { Length: > 0 } url)
            {
                Response.StatusCode = StatusCodes.Status200OK;
                Response.Headers.Remove("Location");
                EndSessionUrl = url;
                return Page();
            }
        }
        return Redirect("/Account/Login");
    }

    /// <summary>Where the browser goes next to end the IdP's session, once signed out here.</summary>
    public string? EndSessionUrl { get; private set; }
}

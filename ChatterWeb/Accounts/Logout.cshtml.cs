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
            return SignOut(endSession, OidcSignIn.Scheme);
        return Redirect("/Account/Login");
    }
}

using ChatterWeb.Infrastructure;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Accounts;

/// <summary>Sign-out is a POST with antiforgery; it also closes the user's open sockets (1008: htmx stays closed).</summary>
[AllowAnonymous]
public sealed class LogoutModel(SignInManager<ChatUser> signIn, ISocketControl sockets) : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Page() : Redirect("/Account/Login");

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = User.UserId();
        await signIn.SignOutAsync();
        if (userId is not null)
            await sockets.CloseUserAsync(userId, "signed out");
        return Redirect("/Account/Login");
    }
}

using System.ComponentModel.DataAnnotations;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

/// <summary>
/// A directory vouched for someone whose verified email already has a ChatterWeb account with a
/// password: that password, once, links the two (lockout counts as on the login form). From then on
/// the account signs in through the directory only.
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class LinkModel(SignInManager<ChatUser> signIn, DirectorySignIn directory) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty, Required, DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public string Email { get; private set; } = "";
    public string ProviderName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await PendingAsync() is not { } pending)
            return RedirectToPage("Login", new { ReturnUrl });
        (Email, ProviderName) = (pending.Identity.Email!, pending.Identity.ProviderName);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await PendingAsync() is not { } pending)
            return RedirectToPage("Login", new { ReturnUrl });
        (Email, ProviderName) = (pending.Identity.Email!, pending.Identity.ProviderName);
        if (!ModelState.IsValid)
            return Page();
        var check = await signIn.CheckPasswordSignInAsync(pending.User, Password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            ModelState.AddModelError(string.Empty, check.IsLockedOut
                ? "Too many failed attempts: this account is locked for a few minutes."
                : "That is not this account's password.");
            return Page();
        }
        if (!await directory.LinkAsync(pending.User, pending.Identity, pending.IdToken))
        {
            ModelState.AddModelError(string.Empty, "The accounts could not be linked just now. Try again.");
            return Page();
        }
        return LocalRedirect(LocalUrl.OrHome(ReturnUrl));
    }

    private async Task<(DirectoryIdentity Identity, string? IdToken, ChatUser User)?> PendingAsync()
    {
        if (await DirectoryIdentity.FromExternalCookieAsync(HttpContext) is not var (identity, idToken))
            return null;
        return await directory.LinkableAccountAsync(identity) is { } user ? (identity, idToken, user) : null;
    }
}

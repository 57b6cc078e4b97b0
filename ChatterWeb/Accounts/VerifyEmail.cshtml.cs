using ChatterWeb.Accounts.Mailing;
using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

/// <summary><c>/Account/VerifyEmail</c> (only with mail): whether the person's address is confirmed, and "send the link again".</summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SecurityExtensions.SignInPolicy)]
public sealed class VerifyEmailModel(UserManager<ChatUser> users, AccountMail mail) : PageModel
{
    public string Email { get; private set; } = "";
    public bool Confirmed { get; private set; }
    public bool Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is not { } user)
            return NotFound();
        if (!Confirmed)
        {
            await mail.SendVerificationAsync(user, HttpContext);
            Sent = true;
        }
        return Page();
    }

    private async Task<ChatUser?> LoadAsync()
    {
        if (!mail.Enabled || await users.FindByIdAsync(User.UserId()!) is not { } user)
            return null;
        Email = user.Email ?? "";
        Confirmed = user.EmailConfirmed;
        return user;
    }
}

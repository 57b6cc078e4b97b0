using System.ComponentModel.DataAnnotations;
using ChatterWeb.Accounts.Mailing;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

/// <summary>
/// <c>/Account/ResetPassword?userId=&amp;token=</c>: the link from the mail. A new password ends every
/// session of the account; the link then no longer works (the token carries the old security stamp),
/// nor after an hour.
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class ResetPasswordModel(UserManager<ChatUser> users, AccountMail mail) : PageModel
{
    public const string Expired = "This link has expired or has been used already. Ask for a new one.";

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(256, MinimumLength = 8, ErrorMessage = "Use at least {2} characters for your password.")]
    [DataType(DataType.Password), Display(Name = "New password")]
    public string? Password { get; set; }

    public string? Error { get; private set; }
    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!mail.Enabled)
            return NotFound();
        if (await UserAsync() is not { } user || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<ChatUser>.ResetPasswordTokenPurpose, Token!))
            Error = Expired;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!mail.Enabled)
            return NotFound();
        if (await UserAsync() is not { } user)
        {
            Error = Expired;
            return Page();
        }
        if (!ModelState.IsValid)
            return Page();
        var result = await mail.ResetAsync(user, Token!, Password!, HttpContext);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == "InvalidToken"))
                Error = Expired;
            else
                foreach (var e in result.Errors)
                    ModelState.AddModelError(nameof(Password), e.Description);
            return Page();
        }
        Done = true;
        return Page();
    }

    private async Task<ChatUser?> UserAsync() =>
        string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token) ? null : await users.FindByIdAsync(UserId);
}

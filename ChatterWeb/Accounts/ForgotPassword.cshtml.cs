using System.ComponentModel.DataAnnotations;
using ChatterWeb.Accounts.Mailing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

/// <summary>
/// <c>/Account/ForgotPassword</c> (only with mail; 404 otherwise): an address in, the same answer out
/// whether it has an account or not; a reset link goes to a real one (<see cref="AccountMail.RequestResetAsync"/>).
/// </summary>
[AllowAnonymous]
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(ChatterWeb.Infrastructure.SecurityExtensions.SignInPolicy)]
public sealed class ForgotPasswordModel(AccountMail mail) : PageModel
{
    public const string Sent = "If that address has an account with a password here, a link to choose a new one is on its way. It works once, for a limited time.";

    [BindProperty]
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "That is not an email address.")]
    [StringLength(256)]
    public string? Email { get; set; }

    public bool Done { get; private set; }

    public IActionResult OnGet() => mail.Enabled ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!mail.Enabled)
            return NotFound();
        if (!ModelState.IsValid)
            return Page();
        await mail.RequestResetAsync(Email!, HttpContext);
        Done = true;
        return Page();
    }
}

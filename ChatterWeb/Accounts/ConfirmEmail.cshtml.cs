using ChatterWeb.Accounts.Audit;
using ChatterWeb.Accounts.Mailing;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

/// <summary>
/// <c>/Account/ConfirmEmail?userId=&amp;token=</c>: the link from the verification mail. Opening it
/// shows a button; the POST confirms (a mail scanner that follows links verifies nothing).
/// </summary>
[AllowAnonymous]
public sealed class ConfirmEmailModel(UserManager<ChatUser> users, AccountMail mail, AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public string? Error { get; private set; }
    public bool Done { get; private set; }

    public IActionResult OnGet() => mail.Enabled ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!mail.Enabled)
            return NotFound();
        var user = string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Token) ? null : await users.FindByIdAsync(UserId);
        if (user is null || !(await users.ConfirmEmailAsync(user, Token!)).Succeeded)
        {
            Error = "This link is not valid (any more). Sign in and ask for a new one on your account page.";
            return Page();
        }
        await audit.RecordAsync(AuditActions.EmailVerified, HttpContext, user.Id, user.Email ?? "", actorId: user.Id);
        Done = true;
        return Page();
    }
}

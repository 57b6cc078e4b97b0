using System.ComponentModel.DataAnnotations;
using ChatterWeb.Accounts.Audit;
using ChatterWeb.Accounts.Sessions;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Accounts;

/// <summary>
/// <c>/Account/Manage</c>: the person's signed-in browsers (browser, last seen) with "end" for each,
/// "sign out everywhere", and a new password (which ends every other session).
/// </summary>
public sealed class ManageModel(
    SignInSessions sessions,
    SignInManager<ChatUser> signIn,
    UserManager<ChatUser> users,
    ISocketControl sockets,
    AuditTrail audit) : PageModel
{
    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password."), DataType(DataType.Password), Display(Name = "Current password")]
        public string Current { get; set; } = "";

        [Required(ErrorMessage = "Enter a new password."), DataType(DataType.Password), Display(Name = "New password")]
        [StringLength(256, MinimumLength = 8, ErrorMessage = "Use at least 8 characters.")]
        public string New { get; set; } = "";
    }

    [BindProperty]
    public PasswordInput Password { get; set; } = new();

    public IReadOnlyList<SignInSession> Sessions { get; private set; } = [];
    public string? CurrentSession { get; private set; }
    public bool HasPassword { get; private set; }
    public string? Status { get; private set; }

    public async Task OnGetAsync(string? status)
    {
        Status = status switch
        {
            "ended" => "That session has ended.",
            "password" => "Your password is changed. Every other session has ended.",
            _ => null,
        };
        await LoadAsync();
    }

    /// <summary>Ends one of the person's sessions; ending this browser's own is signing out.</summary>
    public async Task<IActionResult> OnPostEndAsync(string? id)
    {
        var userId = User.UserId()!;
        if (string.IsNullOrEmpty(id) || !await sessions.EndAsync(userId, id, HttpContext.RequestAborted))
            return NotFound();
        await audit.RecordAsync(AuditActions.SessionEnded, HttpContext, userId, User.DisplayName());
        // Open sockets are closed per person, not per browser: the others' pages reconnect on reload.
        await sockets.CloseUserAsync(userId, "session ended");
        if (id == SessionCookie.Current(HttpContext))
        {
            await signIn.SignOutAsync();
            return Redirect("/Account/Login");
        }
        return RedirectToPage(new { status = "ended" });
    }

    public async Task<IActionResult> OnPostEverywhereAsync()
    {
        var userId = User.UserId()!;
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return NotFound();
        await sessions.EndAllAsync(userId, HttpContext.RequestAborted);
        await users.UpdateSecurityStampAsync(user);
        await sockets.CloseUserAsync(userId, "signed out everywhere");
        await audit.RecordAsync(AuditActions.SignedOutEverywhere, HttpContext, userId, user.Email ?? "");
        await signIn.SignOutAsync();
        return Redirect("/Account/Login");
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var userId = User.UserId()!;
        var user = await users.FindByIdAsync(userId);
        if (user is null)
            return NotFound();
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
        var result = await users.ChangePasswordAsync(user, Password.Current, Password.New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? "Password.Current" : "Password.New",
                    error.Code == "PasswordMismatch" ? "That is not your current password." : error.Description);
            await LoadAsync();
            return Page();
        }
        // Every other browser is signed out; this one stays (same session, new security stamp).
        var current = SessionCookie.Current(HttpContext);
        foreach (var other in await sessions.ActiveAsync(userId, HttpContext.RequestAborted))
            if (other.Id != current)
                await sessions.EndAsync(userId, other.Id, HttpContext.RequestAborted);
        await sockets.CloseUserAsync(userId, "password changed");
        await audit.RecordAsync(AuditActions.PasswordChanged, HttpContext, userId, user.Email ?? "");
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage(new { status = "password" });
    }

    private async Task LoadAsync()
    {
        var userId = User.UserId()!;
        CurrentSession = SessionCookie.Current(HttpContext);
        Sessions = await sessions.ActiveAsync(userId, HttpContext.RequestAborted);
        var user = await users.FindByIdAsync(userId);
        HasPassword = user is not null && await users.HasPasswordAsync(user);
    }
}

using System.ComponentModel.DataAnnotations;
using ChatterWeb.Accounts;
using ChatterWeb.Accounts.Audit;
using ChatterWeb.Accounts.Mailing;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Admin;

/// <summary><c>/admin</c>: who the administrators are and why; with InviteOnly sign-up, invitation links.</summary>
public sealed class IndexModel(Administrators admins, Registration registration, Invites invites, AccountMail mail, AuditTrail audit) : AdminPage
{
    public IReadOnlyList<Administrators.Entry> Administrators { get; private set; } = [];
    public bool InviteOnly => registration.Policy == RegistrationPolicy.InviteOnly;

    [BindProperty, EmailAddress, StringLength(256)]
    public string? InviteEmail { get; set; }

    public string? InviteLink { get; private set; }

    /// <summary>With mail on, invitations are mailed (and can be sent again from /admin/people).</summary>
    public bool MailsInvitations => mail.Enabled;
    public bool Mailed { get; private set; }

    public async Task OnGetAsync() => Administrators = await admins.ListAsync();

    public async Task<IActionResult> OnPostInviteAsync()
    {
        Administrators = await admins.ListAsync();
        if (!InviteOnly)
            return NotFound();
        if (!ModelState.IsValid || string.IsNullOrWhiteSpace(InviteEmail))
        {
            ModelState.AddModelError(nameof(InviteEmail), "Enter the email address to invite.");
            return Page();
        }
        if (mail.Enabled)
        {
            await mail.InviteAsync(InviteEmail, HttpContext);
            Mailed = true;
            return Page();
        }
        InviteLink = $"{Request.Scheme}://{Request.Host}{Url.Page("/Accounts/Register", new { invite = invites.Create(InviteEmail) })}";
        await audit.RecordAsync(AuditActions.InvitationSent, HttpContext, null, InviteEmail.Trim(), "link made");
        return Page();
    }

    public static string Why(Administrators.Reason reason) => reason switch
    {
        Accounts.Administrators.Reason.FirstAccount => "first account, or made one on /admin/people",
        Accounts.Administrators.Reason.Configured => "Chatter:Accounts:Admins",
        _ => "directory admin group",
    };
}

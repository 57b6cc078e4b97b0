using ChatterWeb.Accounts;
using ChatterWeb.Accounts.Mailing;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Admin;

/// <summary>
/// <c>/admin/people</c>: find accounts; deactivate, reactivate, grant and revoke the administrator
/// role. Plain forms, each answered with a redirect back to the same search (works without JavaScript).
/// </summary>
public sealed class PeopleModel(PeopleAdministration people, Invitations invitations, AccountMail mail, Registration registration) : AdminPage
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    /// <summary>Invitations waiting for their account, with "send again" (InviteOnly with mail on; empty otherwise).</summary>
    public IReadOnlyList<PendingInvitation> Pending { get; private set; } = [];
    private bool ResendsInvitations => mail.Enabled && registration.Policy == RegistrationPolicy.InviteOnly;
    public string? Status { get; private set; }

    public async Task OnGetAsync(string? done)
    {
        Status = done switch
        {
            "deactivated" => "Deactivated: signed out everywhere, and can no longer sign in.",
            "reactivated" => "Reactivated: can sign in again.",
            "granted" => "Now an administrator.",
            "revoked" => "No longer an administrator by a role given here.",
            "unchanged" => "Nothing to change: it was that way already.",
            "yourself" => "You cannot do that to your own account: ask another administrator.",
            "resent" => "The invitation is on its way again, with a new link.",
            _ => null,
        };
        People = await people.SearchAsync(Q, HttpContext.RequestAborted);
        if (ResendsInvitations)
            Pending = await invitations.PendingAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostResendAsync(string? email)
    {
        if (!ResendsInvitations || string.IsNullOrWhiteSpace(email) || !await invitations.IsPendingAsync(email, HttpContext.RequestAborted))
            return NotFound();
        await mail.InviteAsync(email, HttpContext, again: true);
        return RedirectToPage(new { Q, done = "resent" });
    }

    public Task<IActionResult> OnPostDeactivateAsync(string? userId) => AfterAsync(people.DeactivateAsync(userId, HttpContext), "deactivated");
    public Task<IActionResult> OnPostReactivateAsync(string? userId) => AfterAsync(people.ReactivateAsync(userId, HttpContext), "reactivated");
    public Task<IActionResult> OnPostGrantAsync(string? userId) => AfterAsync(people.GrantAsync(userId, HttpContext), "granted");
    public Task<IActionResult> OnPostRevokeAsync(string? userId) => AfterAsync(people.RevokeAsync(userId, HttpContext), "revoked");

    private async Task<IActionResult> AfterAsync(Task<AdminOutcome> action, string done) => (await action) switch
    {
        AdminOutcome.NotFound => NotFound(),
        AdminOutcome.Unchanged => RedirectToPage(new { Q, done = "unchanged" }),
        AdminOutcome.NotOnYourself => RedirectToPage(new { Q, done = "yourself" }),
        _ => RedirectToPage(new { Q, done }),
    };

    public static string Why(PersonRow person) => string.Join(", ", person.AdminBecause.Select(IndexModel.Why));
}

using ChatterWeb.Accounts.Audit;
using ChatterWeb.Accounts.Sessions;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using ChatterWeb.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts.Mailing;

/// <summary>
/// The mails accounts need: a password-reset link, an address-verification link, an invitation.
/// Each is only queued (<see cref="MailQueue"/>); each does nothing when mail is off.
/// </summary>
public sealed class AccountMail(
    UserManager<ChatUser> users,
    MailQueue queue,
    MailLinks links,
    Invites invites,
    IOptions<AccountsOptions> accounts,
    IOptions<MailOptions> mailOptions,
    SignInSessions sessions,
    ISocketControl sockets,
    AuditTrail audit)
{
    public bool Enabled => links.Enabled;

    /// <summary>
    /// "Forgot password": a reset link to an account that has a password of ChatterWeb's own and is
    /// active. Whatever the address, the caller says the same thing (and, the mail being queued, takes
    /// the same time).
    /// </summary>
    public async Task RequestResetAsync(string email, HttpContext http)
    {
        if (!Enabled)
            return;
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || user.DeactivatedAt is not null || !await users.HasPasswordAsync(user))
        {
            await audit.RecordAsync(AuditActions.PasswordResetRequested, http, user?.Id, email.Trim(), user is null ? "no such account" : "not sent: no password here or deactivated");
            return;
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var url = links.To(http.Request, $"/Account/ResetPassword?userId={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}");
        queue.TryQueue(MailText.WithLink(user.Email!, "Reset your ChatterWeb password",
            [$"Hello {user.DisplayName},", "Someone (we hope you) asked to reset the password of your ChatterWeb account."],
            "Choose a new password", url,
            [$"The link works once, within {Lifetime(mailOptions.Value.ResetLinkLifetime)}. If you did not ask, ignore this mail: your password stays as it is."]));
        await audit.RecordAsync(AuditActions.PasswordResetRequested, http, user.Id, user.Email ?? "", "link sent");
    }

    /// <summary>Sets the new password with the link's token; every session ends and every socket closes.</summary>
    public async Task<IdentityResult> ResetAsync(ChatUser user, string token, string password, HttpContext http)
    {
        if (user.DeactivatedAt is not null)
            return IdentityResult.Failed(new IdentityError { Code = "InvalidToken", Description = "Invalid token." });
        var result = await users.ResetPasswordAsync(user, token, password);
        if (!result.Succeeded)
            return result;
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await sessions.EndAllAsync(user.Id, CancellationToken.None);
        await sockets.CloseUserAsync(user.Id, "password reset");
        await audit.RecordAsync(AuditActions.PasswordReset, http, user.Id, user.Email ?? "", actorId: user.Id);
        return result;
    }

    /// <summary>An account made through sign-up verifies its address with this link (nothing when mail is off or it is verified).</summary>
    public async Task SendVerificationAsync(ChatUser user, HttpContext http)
    {
        if (!Enabled || user.EmailConfirmed || user.Email is null)
            return;
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        var url = links.To(http.Request, $"/Account/ConfirmEmail?userId={Uri.EscapeDataString(user.Id)}&token={Uri.EscapeDataString(token)}");
        queue.TryQueue(MailText.WithLink(user.Email, "Confirm your address for ChatterWeb",
            [$"Hello {user.DisplayName},", "Please confirm that this address is yours: until then nobody can add you to a members-only room by it."],
            "Confirm my address", url,
            ["If you did not sign up for ChatterWeb, ignore this mail."]));
    }

    private static string Lifetime(TimeSpan t) =>
        t >= TimeSpan.FromHours(1) ? (t.TotalHours == 1 ? "an hour" : $"{t.TotalHours:0.#} hours") : $"{Math.Max(1, (int)t.TotalMinutes)} minute(s)";

    /// <summary>Mails an invitation link (InviteOnly sign-up) and records it; the caller checks the policy.</summary>
    public async Task InviteAsync(string email, HttpContext http, bool again = false)
    {
        email = email.Trim();
        var url = links.To(http.Request, $"/Account/Register?invite={Uri.EscapeDataString(invites.Create(email))}");
        var days = (int)Math.Round(accounts.Value.InviteLifetime.TotalDays);
        queue.TryQueue(MailText.WithLink(email, "You are invited to ChatterWeb",
            ["Hello,", "You are invited to ChatterWeb, the team's chat."],
            "Create your account", url,
            [days >= 1 ? $"The link is for this address only and works for {days} day(s)." : "The link is for this address only and works for a limited time."]));
        await audit.RecordAsync(AuditActions.InvitationSent, http, null, email, again ? "sent again by mail" : "sent by mail");
    }
}

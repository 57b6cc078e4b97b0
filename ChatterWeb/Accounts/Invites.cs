using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

/// <summary>
/// Invitation links for <see cref="RegistrationPolicy.InviteOnly"/>: the invited email, signed and
/// time-limited with the app's data-protection keys (no table). One account per email, so a link
/// is spent once its account exists.
/// </summary>
public sealed class Invites(IDataProtectionProvider protection, IOptions<AccountsOptions> options, TimeProvider time)
{
    private ITimeLimitedDataProtector Protector => protection.CreateProtector("ChatterWeb.Accounts.Invites.v1").ToTimeLimitedDataProtector();

    /// <summary>The token for a link to <c>/Account/Register?invite=…</c>.</summary>
    public string Create(string email) =>
        Protector.Protect(email.Trim(), time.GetUtcNow() + options.Value.InviteLifetime);

    /// <summary>The invited email, or null for a missing, forged or expired token.</summary>
    public string? EmailFor(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        try
        {
            var email = Protector.Unprotect(token, out var expires);
            return expires > time.GetUtcNow() ? email : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

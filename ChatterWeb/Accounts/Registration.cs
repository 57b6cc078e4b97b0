using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

/// <summary>
/// The sign-up policy (<c>Chatter:Accounts:Registration</c>): what the pages offer and whether an
/// email may become an account with a password. The Register page asks before it creates anything.
/// </summary>
public sealed class Registration(IOptions<AccountsOptions> options, Invites invites)
{
    public RegistrationPolicy Policy => options.Value.Registration;

    /// <summary>The login page links to sign-up (Open and AllowedDomains; an invitation carries its own link).</summary>
    public bool OffersSignUp => Policy is RegistrationPolicy.Open or RegistrationPolicy.AllowedDomains;

    /// <summary>The invited email for a valid invitation token, or null.</summary>
    public string? InvitedEmail(string? invite) => Policy == RegistrationPolicy.InviteOnly ? invites.EmailFor(invite) : null;

    /// <summary>
    /// Why the Register page shows no form at all (Closed, or InviteOnly without a valid invitation), or
    /// null. With InviteOnly, the very first account of an empty database needs no invitation: it becomes
    /// the administrator who invites the others.
    /// </summary>
    public string? ClosedBecause(string? invite, bool firstAccount) => Policy switch
    {
        RegistrationPolicy.Closed => "Accounts come from the company directory: sign in with it.",
        RegistrationPolicy.InviteOnly when InvitedEmail(invite) is null && !firstAccount =>
            "Sign-up is by invitation: use the link an administrator gave you (it may have expired).",
        _ => null,
    };

    /// <summary>Why <paramref name="email"/> may not sign up, or null when it may.</summary>
    public string? Refusal(string email, string? invite, bool firstAccount)
    {
        if (ClosedBecause(invite, firstAccount) is { } closed)
            return closed;
        return Policy switch
        {
            RegistrationPolicy.InviteOnly when !firstAccount && !string.Equals(InvitedEmail(invite), email.Trim(), StringComparison.OrdinalIgnoreCase) =>
                "This invitation is for another email address.",
            RegistrationPolicy.AllowedDomains when !options.Value.AllowedDomainList.Contains(DomainOf(email), StringComparer.OrdinalIgnoreCase) =>
                $"Sign-up is open to addresses at {string.Join(", ", options.Value.AllowedDomainList)}.",
            _ => null,
        };
    }

    private static string DomainOf(string email) => email.Trim()[(email.Trim().LastIndexOf('@') + 1)..];
}

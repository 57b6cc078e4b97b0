using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Accounts;

/// <summary>Who may create an account with a password of ChatterWeb's own (directory accounts are the directory's business).</summary>
public enum RegistrationPolicy
{
    /// <summary>Anyone who reaches the server (the one-command start).</summary>
    Open,

    /// <summary>Only emails at the domains in <see cref="AccountsOptions.AllowedDomains"/>.</summary>
    AllowedDomains,

    /// <summary>Only with an invitation link an administrator made on <c>/admin</c>.</summary>
    InviteOnly,

    /// <summary>Nobody: accounts come from the company directory (OpenID Connect or LDAP).</summary>
    Closed,
}

/// <summary>Bound from <c>Chatter:Accounts</c>.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Chatter:Accounts";

    [EnumDataType(typeof(RegistrationPolicy))]
    public RegistrationPolicy Registration { get; set; } = RegistrationPolicy.Open;

    /// <summary>Comma-separated domains (<c>example.com,example.org</c>) for <see cref="RegistrationPolicy.AllowedDomains"/>.</summary>
    public string? AllowedDomains { get; set; }

    /// <summary>Comma-separated emails whose accounts are administrators.</summary>
    public string? Admins { get; set; }

    /// <summary>How long an invitation link stays valid.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan InviteLifetime { get; set; } = TimeSpan.FromDays(7);

    public IReadOnlyList<string> AllowedDomainList => List(AllowedDomains);
    public IReadOnlyList<string> AdminList => List(Admins);

    internal static IReadOnlyList<string> List(string? commaSeparated) =>
        (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static bool Validate(AccountsOptions o) =>
        o.Registration != RegistrationPolicy.AllowedDomains || o.AllowedDomainList.Count > 0;
}

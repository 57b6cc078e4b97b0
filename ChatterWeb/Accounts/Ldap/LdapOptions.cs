using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Accounts.Ldap;

/// <summary>Bound from <c>Chatter:Auth:Ldap</c>. The login form checks passwords against the directory when <see cref="Url"/> is set.</summary>
public sealed class LdapOptions
{
    public const string Section = "Chatter:Auth:Ldap";
    public const string DefaultUserFilter = "(|(uid={0})(mail={0})(sAMAccountName={0}))";

    /// <summary><c>ldap://host:389</c> or <c>ldaps://host:636</c>.</summary>
    public string? Url { get; set; }

    /// <summary>The service account that searches for the person (then the person's own bind checks the password).</summary>
    public string? BindDn { get; set; }

    public string? BindPassword { get; set; }

    /// <summary>Where people are searched (subtree), e.g. <c>ou=people,dc=example,dc=com</c>.</summary>
    public string? SearchBase { get; set; }

    /// <summary>The search filter; <c>{0}</c> is what was typed in the login form's first box, escaped per RFC 4515.</summary>
    [Required]
    public string UserFilter { get; set; } = DefaultUserFilter;

    /// <summary>A group (groupOfNames, groupOfUniqueNames or an AD group) whose direct members are administrators.</summary>
    public string? AdminGroupDn { get; set; }

    /// <summary>How long the directory may take for each step (connect and bind, search, the person's bind) before the sign-in fails with a clear message.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    internal static bool Validate(LdapOptions o) =>
        !o.Enabled || (Uri.TryCreate(o.Url, UriKind.Absolute, out var uri) && uri.Scheme is "ldap" or "ldaps"
                       && !string.IsNullOrWhiteSpace(o.SearchBase)
                       && o.UserFilter.Contains("{0}", StringComparison.Ordinal)
                       && o.UserFilter.StartsWith('(') && o.UserFilter.EndsWith(')'));
}

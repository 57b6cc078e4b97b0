using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Accounts.Oidc;

/// <summary>Bound from <c>Chatter:Auth:Oidc</c>. Sign-in with OpenID Connect is on when <see cref="Authority"/> is set.</summary>
public sealed class OidcOptions
{
    public const string Section = "Chatter:Auth:Oidc";

    /// <summary>The issuer, whose <c>/.well-known/openid-configuration</c> the app reads (e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The client secret (a confidential client: the code is redeemed with it and PKCE).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The login page's button says "Sign in with {DisplayName}".</summary>
    [Required, StringLength(40, MinimumLength = 1)]
    public string DisplayName { get; set; } = "your company account";

    /// <summary>Comma-separated values of the <c>groups</c> claim that make an administrator.</summary>
    public string? AdminGroups { get; set; }

    /// <summary>The claim that must be <c>true</c> before an email provisions or links an account (Entra ID: <c>xms_edov</c>).</summary>
    [Required]
    public string EmailVerifiedClaim { get; set; } = "email_verified";

    /// <summary>Metadata and keys only over HTTPS; false only for a test IdP on loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>How long a call to the IdP (metadata, keys, code redemption) may take before the sign-in fails with an error page.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IReadOnlyList<string> AdminGroupList => AccountsOptions.List(AdminGroups);

    internal static bool Validate(OidcOptions o) =>
        !o.Enabled || (Uri.TryCreate(o.Authority, UriKind.Absolute, out var uri)
                       && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && !o.RequireHttpsMetadata))
                       && !string.IsNullOrWhiteSpace(o.ClientId));
}

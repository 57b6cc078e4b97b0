namespace ChatterWeb.TestIdentityProvider;

/// <summary>Bound from <c>Idp</c>: the one client and the people who can sign in.</summary>
public sealed class IdpOptions
{
    public string ClientId { get; set; } = "chatterweb";
    public string ClientSecret { get; set; } = "test client secret";

    /// <summary>The client's one callback; unset: any loopback URL ending in /signin-oidc.</summary>
    public string? RedirectUri { get; set; }

    public List<IdpUser> Users { get; set; } = [];
}

/// <summary>A person of this IdP. <see cref="Deny"/>: signing in as them answers the client with error=access_denied.</summary>
public sealed class IdpUser
{
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
    public string Subject { get; set; } = "";
    public string? Email { get; set; }
    public bool EmailVerified { get; set; } = true;
    public string? Name { get; set; }

    /// <summary>Comma-separated values of the groups claim.</summary>
    public string? Groups { get; set; }

    public bool Deny { get; set; }
}

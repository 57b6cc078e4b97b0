using System.Globalization;
using System.Security.Claims;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Accounts;

/// <summary>
/// A person as a directory vouched for them (OpenID Connect or LDAP), in one shape: which directory,
/// its stable key for them (<c>sub</c>, <c>entryUUID</c>, <c>objectGUID</c>), their email and whether
/// the directory verified it, their name and whether one of its admin groups holds them. Carried
/// between requests in Identity's short-lived external cookie.
/// </summary>
public sealed record DirectoryIdentity(string Provider, string ProviderName, string Key, string? Email, bool EmailVerified, string? Name, bool IsAdmin)
{
    private const string EmailClaim = "email";
    private const string VerifiedClaim = "chatter:email_verified";
    private const string NameClaim = "name";
    private const string AdminClaim = "chatter:directory_admin";
    private const string ProviderNameClaim = "chatter:provider_name";
    private const string LoginProviderKey = "LoginProvider"; // the item Identity's own external-login code reads

    public ClaimsPrincipal ToPrincipal()
    {
        var identity = new ClaimsIdentity(Provider, NameClaim, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, Key));
        identity.AddClaim(new Claim(ProviderNameClaim, ProviderName));
        if (Email is not null)
            identity.AddClaim(new Claim(EmailClaim, Email));
        identity.AddClaim(new Claim(VerifiedClaim, EmailVerified ? "true" : "false"));
        if (Name is not null)
            identity.AddClaim(new Claim(NameClaim, Name));
        identity.AddClaim(new Claim(AdminClaim, IsAdmin ? "true" : "false"));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>Puts it in the external cookie (the OpenID Connect handler does this itself for its principal).</summary>
    public Task SaveAsync(HttpContext http, string? idToken = null)
    {
        var properties = new AuthenticationProperties { Items = { [LoginProviderKey] = Provider } };
        if (idToken is not null)
            properties.StoreTokens([new AuthenticationToken { Name = "id_token", Value = idToken }]);
        return http.SignInAsync(IdentityConstants.ExternalScheme, ToPrincipal(), properties);
    }

    /// <summary>The identity in the external cookie and the id_token that came with it, or null when there is none (or it expired).</summary>
    public static async Task<(DirectoryIdentity Identity, string? IdToken)?> FromExternalCookieAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        if (!result.Succeeded || result.Properties?.Items.TryGetValue(LoginProviderKey, out var provider) != true || provider is null)
            return null;
        var p = result.Principal!;
        if (p.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } key)
            return null;
        var identity = new DirectoryIdentity(provider, p.FindFirstValue(ProviderNameClaim) ?? provider, key,
            p.FindFirstValue(EmailClaim), p.FindFirstValue(VerifiedClaim) == "true", p.FindFirstValue(NameClaim), p.FindFirstValue(AdminClaim) == "true");
        return (identity, result.Properties!.GetTokenValue("id_token"));
    }

    public static Task ForgetAsync(HttpContext http) => http.SignOutAsync(IdentityConstants.ExternalScheme);

    /// <summary>The name to show: the directory's, cleaned (no control characters, at most 64), else the email's local part.</summary>
    public string DisplayName()
    {
        var name = Infrastructure.NameText.Clean(Name); // no control, invisible or bidi characters
        if (name.Length == 0)
            name = Email is { } email ? email[..Math.Max(0, email.IndexOf('@'))] : "";
        if (name.Length == 0)
            name = "?";
        if (name.Length <= ChatUser.DisplayNameMaxLength)
            return name;
        var info = new StringInfo(name);
        var cut = name[..ChatUser.DisplayNameMaxLength];
        // Keep whole text elements (never half an emoji).
        for (var n = info.LengthInTextElements; n > 0; n--)
        {
            var candidate = info.SubstringByTextElements(0, n);
            if (candidate.Length <= ChatUser.DisplayNameMaxLength)
                return candidate.TrimEnd();
        }
        return cut;
    }
}

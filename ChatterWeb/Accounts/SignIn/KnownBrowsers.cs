using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ChatterWeb.Accounts.SignIn;

/// <summary>
/// Remembers, in a cookie of its own (HttpOnly, protected by data protection, a year), which account last
/// signed in from this browser and a random id for the browser. <see cref="SignInThrottle"/> treats such a
/// browser as its own source for that account and lets it past the account-wide throttle. It is read
/// from the cookie alone (never the database), so it says nothing about whether an account exists.
/// </summary>
public sealed class KnownBrowsers(IDataProtectionProvider protection)
{
    public const string CookieName = "chatter.known";
    private readonly IDataProtector _protector = protection.CreateProtector("ChatterWeb.Accounts.KnownBrowser");

    /// <summary>This browser's id when it signed in to <paramref name="account"/> (an <see cref="SignInThrottle.AccountKey"/>) before; else null.</summary>
    public string? IdFor(HttpContext http, string account)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 and < 2048 } value)
            return null;
        try
        {
            var parts = _protector.Unprotect(value).Split('\n');
            return parts.Length == 2 && parts[0] == account ? parts[1] : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>After a successful sign-in (or sign-up): this browser now knows the account.</summary>
    public void Remember(HttpContext http, string account)
    {
        var id = IdFor(http, account) ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(CookieName, _protector.Protect(account + "\n" + id), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/Account",
            MaxAge = TimeSpan.FromDays(365),
            IsEssential = true,
        });
    }
}

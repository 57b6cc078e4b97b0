using System.Security.Claims;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Accounts;

/// <summary>
/// Reads the sign-in cookie exactly as the default <see cref="TicketSerializer"/> does (same format),
/// but a claim whose type is one the app always issues gets the one shared string for that type
/// instead of a fresh copy per request. A socket's request keeps its principal for the socket's
/// whole life, and the claim-type URIs alone were about 0.4 KiB per idle socket.
/// </summary>
internal sealed class SharedClaimTypesSerializer : TicketSerializer
{
    private static readonly Dictionary<string, string> Known = new[]
    {
        ClaimTypes.NameIdentifier, ClaimTypes.Name, ClaimTypes.Email, ClaimTypes.Role,
        new ClaimsIdentityOptions().SecurityStampClaimType, UserClaims.DisplayNameClaim, "amr",
        ClaimTypes.AuthenticationMethod, // a directory sign-in's provider
    }.ToDictionary(t => t, StringComparer.Ordinal);

    public static readonly SharedClaimTypesSerializer Instance = new();

    /// <summary>The protector purposes cookie authentication uses by default (so existing cookies stay valid).</summary>
    public static IDataProtector ProtectorFor(IDataProtectionProvider provider, string scheme) =>
        provider.CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", scheme, "v2");

    protected override Claim ReadClaim(BinaryReader reader, ClaimsIdentity identity)
    {
        var claim = base.ReadClaim(reader, identity);
        if (!Known.TryGetValue(claim.Type, out var shared) || ReferenceEquals(shared, claim.Type))
            return claim;
        var copy = new Claim(shared, claim.Value, claim.ValueType, claim.Issuer, claim.OriginalIssuer, identity);
        foreach (var (key, value) in claim.Properties)
            copy.Properties[key] = value;
        return copy;
    }
}

using System.Security.Claims;

namespace ChatterWeb.Infrastructure;

/// <summary>Who is signed in, as pages and sockets read it from the session cookie (no query).</summary>
public static class UserClaims
{
    /// <summary>The display name, put in the cookie at sign-in so sockets and pages need no query for it.</summary>
    public const string DisplayNameClaim = "chatter:display_name";

    /// <summary>The display name from the sign-in cookie (falls back to the user name).</summary>
    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaim) ?? user.Identity?.Name ?? "?";

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}

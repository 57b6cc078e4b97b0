using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace ChatterWeb.Integrations;

/// <summary>
/// The secrets integrations hand out (webhook URLs, API tokens): 256 random bits, base64url, behind a
/// prefix that says what they are (so a leaked one is recognisable in a log or a secret scanner).
/// Only <see cref="Hash"/> is stored: with this much entropy a plain SHA-256 cannot be reversed by
/// guessing, and looking one up is a single indexed equality.
/// </summary>
public static class SecretToken
{
    public const string HookPrefix = "cwh_";
    public const string ApiPrefix = "cwt_";

    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Looks like a token of this kind (checked before any query; anything else is simply "not found").</summary>
    public static bool IsWellFormed(string? token, string prefix) =>
        token is { Length: > 4 and <= 100 } && token.StartsWith(prefix, StringComparison.Ordinal)
        && token.AsSpan(prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;
}

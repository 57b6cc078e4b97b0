using System.Security.Cryptography;
using System.Text;

namespace ChatterWeb.Bots;

/// <summary>
/// How a bot knows a call came from ChatterWeb: <c>X-Chatter-Timestamp</c> (Unix seconds) and
/// <c>X-Chatter-Signature: sha256=&lt;hex&gt;</c>, the lower-case hex HMAC-SHA256, keyed with the bot's
/// secret, of <c>"{timestamp}.{body}"</c> (the body's exact bytes). A receiver recomputes it, compares
/// in constant time, and refuses a timestamp far from its clock (a replay).
/// </summary>
public static class WebhookSignature
{
    public const string TimestampHeader = "X-Chatter-Timestamp";
    public const string SignatureHeader = "X-Chatter-Signature";
    public const string DeliveryHeader = "X-Chatter-Delivery";
    public const string Prefix = "sha256=";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[head.Length + body.Length];
        head.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(head.Length));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>A new secret: 256 random bits, base64url (what the admin page offers when none is typed).</summary>
    public static string NewSecret() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}

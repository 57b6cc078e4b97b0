using Microsoft.AspNetCore.DataProtection;

namespace ChatterWeb.Bots;

/// <summary>
/// A bot's signing secret at rest: encrypted with ASP.NET Core data protection (the key ring every
/// instance shares, in Redis when configured), since signing needs the secret itself and a hash would
/// not do. A database copy without the key ring reveals no secret.
/// </summary>
public sealed class BotSecrets(IDataProtectionProvider provider)
{
    public const int MinLength = 16;
    public const int MaxLength = 256;

    private readonly IDataProtector _protector = provider.CreateProtector("ChatterWeb.Bots.WebhookSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>A secret typed on the admin page: 16 to 256 printable ASCII characters, or null.</summary>
    public static string? Clean(string? secret)
    {
        var trimmed = (secret ?? "").Trim();
        return trimmed.Length is >= MinLength and <= MaxLength && trimmed.All(c => c is > ' ' and <= '~') ? trimmed : null;
    }
}

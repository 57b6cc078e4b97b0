using ChatterWeb.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts.Mailing;

/// <summary>
/// Password-reset tokens: Identity's data-protection tokens with a lifetime of their own
/// (<c>Chatter:Mail:ResetLinkLifetime</c>, one hour), shorter than the other tokens' day. A token carries the
/// account's security stamp, which the reset changes: each link works once.
/// </summary>
public sealed class ResetTokenProvider(IDataProtectionProvider protection, IOptions<ResetTokenOptions> options, ILogger<DataProtectorTokenProvider<ChatUser>> logger)
    : DataProtectorTokenProvider<ChatUser>(protection, options, logger)
{
    public const string ProviderName = "ChatterReset";
}

/// <summary>The reset tokens' options: <see cref="ResetTokenProvider.ProviderName"/>; the lifetime is set from the mail options.</summary>
public sealed class ResetTokenOptions : DataProtectionTokenProviderOptions
{
    public ResetTokenOptions()
    {
        Name = ResetTokenProvider.ProviderName;
        TokenLifespan = TimeSpan.FromHours(1);
    }
}

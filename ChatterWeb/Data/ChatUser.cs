using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Data;

/// <summary>An account: the Identity user plus the name other people see.</summary>
public sealed class ChatUser : IdentityUser
{
    public const int DisplayNameMaxLength = 64;

    public string DisplayName { get; set; } = "";

    /// <summary>Set while an administrator has deactivated the account: it cannot sign in; its messages stay.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
    /// <summary>
    /// A machine, not a person: an incoming webhook's own account or a bot an administrator made. It
    /// has no password, cannot sign in, and its messages carry a "bot" badge.
    /// </summary>
    public bool IsBot { get; set; }

    /// <summary>
    /// A bot's chosen avatar: one emoji of <see cref="AvatarEmoji"/>'s set, shown instead of the
    /// initials wherever the account appears. Null: initials (people always have initials).
    /// </summary>
    public string? Avatar { get; set; }

    public const int AvatarMaxLength = 16;
}

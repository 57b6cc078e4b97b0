using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Data;

/// <summary>An account: the Identity user plus the name other people see.</summary>
public sealed class ChatUser : IdentityUser
{
    public const int DisplayNameMaxLength = 64;

    public string DisplayName { get; set; } = "";

    /// <summary>Set while an administrator has deactivated the account: it cannot sign in; its messages stay.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
}

using ChatterWeb.Data;
using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Integrations;

/// <summary>
/// Accounts for machines (<see cref="ChatUser.IsBot"/>): no password, an address under the reserved
/// <c>.invalid</c> domain (no mail reaches it, no directory identity can claim it) and locked out, so
/// nobody signs in as one. They act only through a webhook or an API token.
/// </summary>
public sealed class BotAccounts(UserManager<ChatUser> users)
{
    public const string EmailDomain = "bots.chatter.invalid";

    /// <param name="avatar">An emoji of <see cref="AvatarEmoji"/> (already checked), or null for initials.</param>
    public async Task<ChatUser> CreateAsync(string displayName, string? avatar = null)
    {
        var id = Guid.NewGuid().ToString("N");
        var bot = new ChatUser
        {
            UserName = "bot-" + id,
            Email = $"bot-{id}@{EmailDomain}",
            DisplayName = displayName,
            IsBot = true,
            Avatar = avatar,
            LockoutEnabled = true,
            LockoutEnd = DateTimeOffset.MaxValue,
        };
        var created = await users.CreateAsync(bot);
        if (!created.Succeeded)
            throw new InvalidOperationException("The bot account could not be created: " + string.Join("; ", created.Errors.Select(e => e.Description)));
        return bot;
    }

    /// <summary>A name for a webhook or a bot: trimmed, 1 to 64 characters; null when it is not one.</summary>
    public static string? CleanName(string? name)
    {
        var trimmed = (name ?? "").Trim();
        return trimmed.Length is > 0 and <= ChatUser.DisplayNameMaxLength && !trimmed.Any(char.IsControl) ? trimmed : null;
    }
}

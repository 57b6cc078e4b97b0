using ChatterWeb.Data;
using ChatterWeb.Integrations;

namespace ChatterWeb.Bots;

/// <summary>The admin pages' checks of what is typed for a bot; each returns the clean value, or null with the message to show.</summary>
public static class BotForm
{
    public static (string? Name, string? Error) Name(string? name) =>
        BotAccounts.CleanName(name) is { } clean ? (clean, null) : (null, "Give the bot a name of 1 to 64 characters.");

    public static (string? Url, string? Error) Url(string? url, BotOptions options)
    {
        var trimmed = (url ?? "").Trim();
        if (trimmed.Length is 0 or > Bot.UrlMaxLength || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return (null, "Give the bot's webhook URL: an absolute http:// or https:// address.");
        if (!AllowedHosts.Allows(options.AllowedHosts, uri))
            return (null, options.AllowedHosts.Length == 0
                ? "No host is allowed yet: an operator lists the hosts bots may be called at in Chatter:Integrations:AllowedHosts."
                : $"{uri.Authority} is not an allowed host. Allowed: {string.Join(", ", options.AllowedHosts)} (Chatter:Integrations:AllowedHosts).");
        return (uri.AbsoluteUri, null);
    }

    public static (string? Commands, string? Error) Commands(string? commands) =>
        BotCommands.Normalize(commands) is { } clean && clean.Length <= Bot.CommandsMaxLength
            ? (clean, null)
            : (null, $"Commands are up to {BotCommands.MaxCount} words of a-z, 0-9, _ and - (1 to 32 characters each), like \"deploy status\".");

    /// <summary>A typed secret, or a new one when nothing was typed.</summary>
    public static (string? Secret, string? Error) Secret(string? secret) =>
        string.IsNullOrWhiteSpace(secret) ? (WebhookSignature.NewSecret(), null)
        : BotSecrets.Clean(secret) is { } clean ? (clean, null)
        : (null, $"A secret is {BotSecrets.MinLength} to {BotSecrets.MaxLength} characters without spaces (or leave it empty for a new random one).");
}

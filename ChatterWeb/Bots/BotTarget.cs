namespace ChatterWeb.Bots;

/// <summary>A bot a message may call: its account, its name, its webhook and commands.</summary>
/// <param name="Avatar">The bot's chosen emoji, worn by its replies; null: initials.</param>
public sealed record BotTarget(long BotId, string UserId, string Name, string Url, string ProtectedSecret, string Commands, string? Avatar = null);

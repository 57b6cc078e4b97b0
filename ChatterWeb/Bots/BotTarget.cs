namespace ChatterWeb.Bots;

/// <summary>A bot a message may call: its account, its name, its webhook and commands.</summary>
public sealed record BotTarget(long BotId, string UserId, string Name, string Url, string ProtectedSecret, string Commands);

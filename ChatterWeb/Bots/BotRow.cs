namespace ChatterWeb.Bots;

/// <summary>A bot as the admin pages show it (never its secret).</summary>
public sealed record BotRow(long Id, string UserId, string Name, string Url, string Commands, DateTimeOffset CreatedAt, string? OwnerName, IReadOnlyList<BotRoom> Rooms);

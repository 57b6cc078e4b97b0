namespace ChatterWeb.Bots;

/// <summary>A bot as the admin pages show it (never its secret).</summary>
/// <param name="Avatar">Its chosen emoji (<see cref="Data.ChatUser.Avatar"/>); null: initials.</param>
public sealed record BotRow(long Id, string UserId, string Name, string? Avatar, string Url, string Commands, DateTimeOffset CreatedAt, string? OwnerName, IReadOnlyList<BotRoom> Rooms);

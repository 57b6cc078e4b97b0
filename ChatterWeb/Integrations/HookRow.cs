namespace ChatterWeb.Integrations;

/// <summary>A webhook as the room's integrations page lists it (never its token).</summary>
/// <param name="UserId">Its account (the author of what it posts): the avatar's colour.</param>
/// <param name="Avatar">Its chosen emoji (<see cref="Data.ChatUser.Avatar"/>); null: initials.</param>
public sealed record HookRow(long Id, string UserId, string Name, string? Avatar, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

using ChatterWeb.Rooms;

namespace ChatterWeb.Integrations;

/// <summary>What a webhook post needs: the hook, its account and its room.</summary>
/// <param name="Avatar">The hook's chosen emoji (<see cref="Data.ChatUser.Avatar"/>); null: initials.</param>
public sealed record HookTarget(long HookId, string UserId, string Name, RoomInfo Room, string? Avatar = null);

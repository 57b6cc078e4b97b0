using ChatterWeb.Rooms;

namespace ChatterWeb.Integrations;

/// <summary>What a webhook post needs: the hook, its account and its room.</summary>
public sealed record HookTarget(long HookId, string UserId, string Name, RoomInfo Room);

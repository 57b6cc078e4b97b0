namespace ChatterWeb.Presence;

/// <summary>
/// Who has a room open. Join/Leave count this instance's sockets; the list is every instance's
/// (cluster-wide with Redis). Join/Leave answer true when the room's list may have changed, so the
/// caller publishes the fresh list to the room.
/// </summary>
public interface IPresence
{
    ValueTask<bool> JoinAsync(long roomId, string userId, string displayName);
    ValueTask<bool> LeaveAsync(long roomId, string userId);
    ValueTask<IReadOnlyList<PresentUser>> InRoomAsync(long roomId, CancellationToken ct = default);
}

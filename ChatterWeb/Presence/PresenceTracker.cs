namespace ChatterWeb.Presence;

/// <summary>Who has each room open on this instance: a count of sockets per user per room.</summary>
public sealed class PresenceTracker : IPresence
{
    ValueTask<bool> IPresence.JoinAsync(long roomId, string userId, string displayName) => ValueTask.FromResult(Join(roomId, userId, displayName));
    ValueTask<bool> IPresence.LeaveAsync(long roomId, string userId) => ValueTask.FromResult(Leave(roomId, userId));
    ValueTask<IReadOnlyList<PresentUser>> IPresence.InRoomAsync(long roomId, CancellationToken ct) => ValueTask.FromResult(InRoom(roomId));

    /// <summary>Every (room, user, name) with at least one socket here.</summary>
    public IReadOnlyList<(long RoomId, string UserId, string DisplayName)> Entries()
    {
        lock (_gate)
            return [.. _rooms.SelectMany(r => r.Value.Select(u => (r.Key, u.Key, u.Value.Name)))];
    }

    public IReadOnlyCollection<long> RoomIds()
    {
        lock (_gate)
            return [.. _rooms.Keys];
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<long, Dictionary<string, (string Name, int Sockets)>> _rooms = [];

    /// <summary>Counts one more socket; true when the user was not in the room before.</summary>
    public bool Join(long roomId, string userId, string displayName)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(roomId, out var users))
                _rooms[roomId] = users = [];
            var arrived = !users.TryGetValue(userId, out var entry);
            users[userId] = (displayName, entry.Sockets + 1);
            return arrived;
        }
    }

    /// <summary>Counts one socket less; true when it was the user's last one in the room.</summary>
    public bool Leave(long roomId, string userId)
    {
        lock (_gate)
        {
            if (!_rooms.TryGetValue(roomId, out var users) || !users.TryGetValue(userId, out var entry))
                return false;
            if (entry.Sockets > 1)
            {
                users[userId] = (entry.Name, entry.Sockets - 1);
                return false;
            }
            users.Remove(userId);
            if (users.Count == 0)
                _rooms.Remove(roomId);
            return true;
        }
    }

    public IReadOnlyList<PresentUser> InRoom(long roomId)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(roomId, out var users)
                ? users.Select(u => new PresentUser(u.Key, u.Value.Name))
                    .OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase).ToList()
                : [];
        }
    }
}

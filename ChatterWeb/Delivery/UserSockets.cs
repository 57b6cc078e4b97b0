using System.Net.WebSockets;

namespace ChatterWeb.Delivery;

/// <summary>
/// Every socket on this instance by user, room sockets and per-user sockets (<c>/me/ws</c>) alike:
/// listens to a user's stream while the user has at least one socket here and hands each frame to
/// every one of them (bounded queues, no waiting); closes a user's sockets (sign-out, removal) and
/// every socket (shutdown).
/// </summary>
public sealed class UserSockets(IUserBus bus)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (SocketConnection[] Connections, IDisposable Lease)> _users = [];

    /// <summary>Adds the socket; take it out with <see cref="Remove"/> (no lease object: an idle socket holds nothing for this).</summary>
    public void Add(SocketConnection connection)
    {
        lock (_gate)
        {
            var userId = connection.UserId;
            if (_users.TryGetValue(userId, out var entry))
                _users[userId] = ([.. entry.Connections, connection], entry.Lease);
            else
                _users[userId] = ([connection], bus.Listen(userId, Deliver));
        }
    }

    /// <summary>Takes the socket out (once; a second call does nothing).</summary>
    public void Remove(SocketConnection connection)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(connection.UserId, out var entry))
                return;
            var remaining = Array.FindAll(entry.Connections, c => !ReferenceEquals(c, connection));
            if (remaining.Length > 0)
            {
                _users[connection.UserId] = (remaining, entry.Lease);
                return;
            }
            _users.Remove(connection.UserId);
            entry.Lease.Dispose();
        }
    }

    /// <summary>How many of the user's sockets are on this instance.</summary>
    public int CountFor(string userId) => Of(userId).Length;

    /// <summary>Every socket on this instance.</summary>
    public IReadOnlyList<SocketConnection> All()
    {
        lock (_gate)
            return [.. _users.Values.SelectMany(u => u.Connections)];
    }

    /// <summary>Closes the user's sockets here (in one room only, when given); returns how many.</summary>
    public int CloseUser(string userId, WebSocketCloseStatus status, string reason, long? roomId = null)
    {
        var closed = 0;
        foreach (var c in Of(userId))
        {
            if (roomId is long only && c.RoomId != only)
                continue;
            c.RequestClose(status, reason);
            closed++;
        }
        return closed;
    }

    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var c in All())
            c.RequestClose(status, reason);
    }

    private SocketConnection[] Of(string userId)
    {
        lock (_gate)
            return _users.TryGetValue(userId, out var entry) ? entry.Connections : [];
    }

    private void Deliver(UserFrame frame)
    {
        foreach (var c in Of(frame.UserId))
        {
            if (frame.OnlyAbout == 0 || c.RoomId != frame.OnlyAbout)
                c.TryEnqueue(frame.Html);
        }
    }
}

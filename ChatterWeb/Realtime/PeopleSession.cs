using ChatterWeb.Notifications;
using ChatterWeb.Presence;
using ChatterWeb.Rooms;

namespace ChatterWeb.Realtime;

/// <summary>
/// What one room socket does for the people features: it joins its user's per-user stream (unread
/// counts, read state, notifications for every room they belong to), passes typing signals to the
/// room (at most one per <see cref="Typing.MinInterval"/>), and records "read up to here".
/// </summary>
internal sealed class PeopleSession(RoomConnection connection, RoomInfo room, IServiceProvider services)
{
    private readonly IRoomBus _rooms = services.GetRequiredService<IRoomBus>();
    private readonly UnreadNotifier _unread = services.GetRequiredService<UnreadNotifier>();
    private bool _started;
    private long _lastTyping = -1;
    private long _readUpTo;

    public void Start()
    {
        services.GetRequiredService<UserStreams>().Add(connection);
        _started = true;
    }

    public void Stop()
    {
        if (_started)
            services.GetRequiredService<UserStreams>().Remove(connection);
    }

    public async ValueTask TypingAsync()
    {
        var now = Environment.TickCount64;
        if (_lastTyping >= 0 && now - _lastTyping < (long)Typing.MinInterval.TotalMilliseconds)
            return; // more often than the page ever sends: dropped, not an error
        _lastTyping = now;
        await _rooms.PublishAsync(new RoomFrame(room.Id, 0, Typing.Signal(connection.UserId, connection.DisplayName)));
    }

    /// <summary>
    /// The page has shown everything up to <paramref name="upToSeq"/> at the bottom: queued for the
    /// read-state worker, which writes the gathering's marks in one transaction and tells every tab
    /// of this user the new count. A page sends this after every message it shows, so nothing is
    /// written here.
    /// </summary>
    public void Read(long upToSeq)
    {
        if (upToSeq <= _readUpTo)
            return;
        _readUpTo = upToSeq;
        _unread.Read(room, connection.UserId, upToSeq);
    }
}

using ChatterWeb.Notifications;
using ChatterWeb.Presence;
using ChatterWeb.Rooms;

namespace ChatterWeb.Realtime;

/// <summary>
/// What one room socket does for the people features: it joins its user's per-user stream (unread
/// counts, read state, notifications for every room they belong to), passes typing signals to the
/// room (at most one per <see cref="Typing.MinInterval"/>), and records "read up to here".
/// </summary>
internal sealed partial class PeopleSession(RoomConnection connection, RoomInfo room, IServiceProvider services)
{
    private readonly IRoomBus _rooms = services.GetRequiredService<IRoomBus>();
    private readonly IUserBus _users = services.GetRequiredService<IUserBus>();
    private readonly ILogger _logger = services.GetRequiredService<ILogger<PeopleSession>>();
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

    /// <summary>The page has shown everything up to <paramref name="upToSeq"/> at the bottom: every tab of this user hears the new count.</summary>
    public async Task ReadAsync(long upToSeq, CancellationToken ct)
    {
        if (upToSeq <= _readUpTo)
            return;
        _readUpTo = upToSeq;
        try
        {
            await using var scope = services.CreateAsyncScope();
            var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
            if (!await reads.MarkReadAsync(room.Id, connection.UserId, upToSeq, ct))
                return;
            var unread = await reads.ForRoomAsync(room.Id, connection.UserId, ct);
            await _users.PublishAsync(new UserFrame(connection.UserId, UnreadMarkup.Badge(room.Id, unread)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReadFailed(e, room.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read state in room {RoomId} could not be saved")]
    private partial void LogReadFailed(Exception e, long roomId);
}

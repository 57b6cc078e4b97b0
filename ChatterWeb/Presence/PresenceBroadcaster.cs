using System.Collections.Concurrent;
using ChatterWeb.Delivery;

namespace ChatterWeb.Presence;

/// <summary>
/// Publishes a room's people list after it changes, at most once per <see cref="Coalesce"/> per
/// room: a join storm (a meeting starts, an instance restarts and 200 pages reconnect) becomes a
/// few list frames instead of one full list per arrival to every socket, which is O(N²) bytes and
/// would fill the send queues of everyone in a big room. The list is read after the wait, so the
/// last change is always in the last frame.
/// </summary>
public sealed partial class PresenceBroadcaster(IPresence presence, IRoomBus bus, TimeProvider time, ILogger<PresenceBroadcaster> logger)
{
    internal static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentDictionary<long, byte> _scheduled = new();

    public void Changed(long roomId)
    {
        if (_scheduled.TryAdd(roomId, 0))
            _ = PublishSoonAsync(roomId);
    }

    private async Task PublishSoonAsync(long roomId)
    {
        try
        {
            await Task.Delay(Coalesce, time);
            _scheduled.TryRemove(roomId, out _); // a change from here on schedules the next frame
            var people = await presence.InRoomAsync(roomId);
            await bus.PublishAsync(new RoomFrame(roomId, 0, PresenceMarkup.RenderFragment(people)));
        }
        catch (Exception e)
        {
            _scheduled.TryRemove(roomId, out _);
            LogPublishFailed(e, roomId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The people list of room {RoomId} could not be published")]
    private partial void LogPublishFailed(Exception e, long roomId);
}

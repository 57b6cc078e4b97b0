using ChatterWeb.Delivery;

namespace ChatterWeb.Presence;

/// <summary>
/// Tells a room who arrived and who left, at most once per <see cref="Coalesce"/> per room. A
/// socket gets the whole list for itself when it opens; the room only ever gets the changes, so an
/// arrival in a room of a thousand costs a few hundred bytes per socket instead of the whole list,
/// and a join storm (a meeting starts, an instance restarts and 200 pages reconnect) becomes a few
/// frames. Each person's state is read after the wait, so the last change is always in the last frame.
/// </summary>
public sealed partial class PresenceBroadcaster(IPresence presence, IRoomBus bus, TimeProvider time, ILogger<PresenceBroadcaster> logger)
{
    internal static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private readonly Dictionary<long, HashSet<string>> _touched = []; // per room: whose presence changed since its frame was scheduled

    /// <summary>The user arrived in or left the room (this instance's last socket of theirs there).</summary>
    public void Changed(long roomId, string userId)
    {
        lock (_gate)
        {
            if (_touched.TryGetValue(roomId, out var users))
            {
                users.Add(userId);
                return; // its frame is already scheduled
            }
            _touched[roomId] = [userId];
        }
        _ = PublishSoonAsync(roomId);
    }

    private async Task PublishSoonAsync(long roomId)
    {
        HashSet<string>? users = null;
        try
        {
            await Task.Delay(Coalesce, time);
            lock (_gate)
                _touched.Remove(roomId, out users); // a change from here on schedules the next frame
            if (users is null)
                return;
            var here = (await presence.InRoomAsync(roomId)).ToDictionary(p => p.UserId);
            var arrived = new List<PresentUser>();
            var left = new List<string>();
            foreach (var userId in users)
            {
                if (here.TryGetValue(userId, out var person))
                    arrived.Add(person);
                else
                    left.Add(userId);
            }
            await bus.PublishAsync(new RoomFrame(roomId, 0, PresenceMarkup.RenderChanges(arrived, left)));
        }
        catch (Exception e)
        {
            lock (_gate)
                _touched.Remove(roomId);
            LogPublishFailed(e, roomId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The people list changes of room {RoomId} could not be published")]
    private partial void LogPublishFailed(Exception e, long roomId);
}

using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>
/// Announces "stored" and "changed" to every <see cref="IMessageListener"/>. A listener that fails
/// is logged and the others still hear: stored is stored (a page that missed the push heals from
/// the database on its next resume).
/// </summary>
public sealed partial class MessageEvents(IEnumerable<IMessageListener> listeners, ILogger<MessageEvents> logger)
{
    private readonly IMessageListener[] _listeners = [.. listeners];

    public async ValueTask StoredAsync(RoomInfo room, MessageView message)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.StoredAsync(room, message);
            }
            catch (Exception e)
            {
                LogListenerFailed(e, listener.GetType().Name, "stored", room.Id, message.Seq);
            }
        }
    }

    public async ValueTask ChangedAsync(RoomInfo room, MessageView message)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                await listener.ChangedAsync(room, message);
            }
            catch (Exception e)
            {
                LogListenerFailed(e, listener.GetType().Name, "changed", room.Id, message.Seq);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener} failed on message {Seq} {What} in room {RoomId}")]
    private partial void LogListenerFailed(Exception e, string listener, string what, long roomId, long seq);
}

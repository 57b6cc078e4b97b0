using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ChatterWeb.Realtime;

/// <summary>A finished HTML frame for every socket of one person, whatever room each is open in.</summary>
/// <param name="OnlyAbout">
/// When not 0: everything in the frame is about this one room (its unread badge), which a socket
/// open in that very room does not show (the badge of the room you are in is hidden; you are reading
/// it), so such sockets are not sent it. In a busy room most badge updates are of this kind. Honoured
/// on every instance (the Redis payload carries it).
/// </param>
public readonly record struct UserFrame(string UserId, ReadOnlyMemory<byte> Html, long OnlyAbout = 0);

/// <summary>
/// The per-user stream: unread counts, read state and notifications for one person travel here,
/// never on a room's channel, so nobody hears of a room they are not a member of.
/// In-process for one instance; <see cref="RedisUserBus"/> (<c>chatter:user:v2:{id}</c>) across instances.
/// </summary>
public interface IUserBus
{
    ValueTask PublishAsync(UserFrame frame);

    /// <summary>Delivers the user's frames until the lease is disposed; one listener per user per instance.</summary>
    IDisposable Listen(string userId, Action<UserFrame> deliver);
}

public sealed class InProcessUserBus : IUserBus
{
    private readonly ConcurrentDictionary<string, Action<UserFrame>> _listeners = new();

    public ValueTask PublishAsync(UserFrame frame)
    {
        if (_listeners.TryGetValue(frame.UserId, out var deliver))
            deliver(frame);
        return ValueTask.CompletedTask;
    }

    public IDisposable Listen(string userId, Action<UserFrame> deliver)
    {
        if (!_listeners.TryAdd(userId, deliver))
            throw new InvalidOperationException("This user already has a listener on this instance.");
        return new Lease(() => _listeners.TryRemove(new KeyValuePair<string, Action<UserFrame>>(userId, deliver)));
    }

    internal sealed class Lease(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                dispose();
        }
    }
}

/// <summary>
/// This instance's sockets by user (any room): listens to a user's stream while the user has at
/// least one socket here, and hands each frame to every one of them (bounded queues, no waiting).
/// </summary>
public sealed class UserStreams(IUserBus bus)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (RoomConnection[] Connections, IDisposable Lease)> _users = [];

    /// <summary>Adds the socket; take it out with <see cref="Remove"/> (no lease object: an idle socket holds nothing for this).</summary>
    public void Add(RoomConnection connection)
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
    public void Remove(RoomConnection connection)
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
    public int CountFor(string userId)
    {
        lock (_gate)
            return _users.TryGetValue(userId, out var entry) ? entry.Connections.Length : 0;
    }

    private void Deliver(UserFrame frame)
    {
        RoomConnection[] connections;
        lock (_gate)
        {
            if (!_users.TryGetValue(frame.UserId, out var entry))
                return;
            connections = entry.Connections;
        }
        foreach (var c in connections)
        {
            if (frame.OnlyAbout == 0 || c.RoomId != frame.OnlyAbout)
                c.TryEnqueue(frame.Html);
        }
    }
}

/// <summary>
/// The per-user stream across instances: one Redis channel per user (<c>chatter:user:v2:{id}</c>),
/// subscribed only while this instance has a socket of that user. Like the room bus, a publish is
/// delivered locally at once and sent to Redis fire-and-forget; our own echo is dropped by instance
/// id. Frames are state (counts, not increments), so one lost while Redis is down is corrected by
/// the next one or by a page load.
/// </summary>
public sealed partial class RedisUserBus(IConnectionMultiplexer redis, RedisRoomBus rooms, ILogger<RedisUserBus> logger) : IUserBus
{
    /// <summary>
    /// "v2": the payload gained the 8-byte room id. A new name rather than a marker: during a rolling
    /// restart old and new instances then simply do not hear each other's per-user frames (counts are
    /// state; the next frame or page load corrects them), instead of showing 8 stray bytes or
    /// cutting 8 bytes off the markup.
    /// </summary>
    public const string ChannelPrefix = "chatter:user:v2:";
    private readonly ConcurrentDictionary<string, Action<UserFrame>> _listeners = new();

    public static RedisChannel ChannelFor(string userId) => RedisChannel.Literal(ChannelPrefix + userId);

    public ValueTask PublishAsync(UserFrame frame)
    {
        if (_listeners.TryGetValue(frame.UserId, out var local))
            local(frame);
        if (!redis.IsConnected)
            return ValueTask.CompletedTask;
        try
        {
            redis.GetSubscriber().Publish(ChannelFor(frame.UserId), RedisPayload.Encode(rooms.InstanceId, frame.OnlyAbout, frame.Html.Span), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException)
        {
            LogPublishFailed(e);
        }
        return ValueTask.CompletedTask;
    }

    public IDisposable Listen(string userId, Action<UserFrame> deliver)
    {
        if (!_listeners.TryAdd(userId, deliver))
            throw new InvalidOperationException("This user already has a listener on this instance.");
        var stop = new CancellationTokenSource();
        var subscribed = SubscribeAsync(userId, deliver, stop.Token);
        return new InProcessUserBus.Lease(() =>
        {
            stop.Cancel();
            _listeners.TryRemove(new KeyValuePair<string, Action<UserFrame>>(userId, deliver));
            _ = UnsubscribeAsync(subscribed);
        });
    }

    private async Task<ChannelMessageQueue?> SubscribeAsync(string userId, Action<UserFrame> deliver, CancellationToken stop)
    {
        var channel = ChannelFor(userId);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(channel);
                queue.OnMessage(m =>
                {
                    if (RedisPayload.TryDecode((byte[]?)m.Message, out var instance, out var onlyAbout, out var html) && instance != rooms.InstanceId)
                        deliver(new UserFrame(userId, html, onlyAbout));
                });
                return queue;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogSubscribeFailed(e);
                try { await Task.Delay(TimeSpan.FromSeconds(1), stop); } catch (OperationCanceledException) { return null; }
            }
        }
        return null;
    }

    private static async Task UnsubscribeAsync(Task<ChannelMessageQueue?> subscribed)
    {
        try
        {
            if (await subscribed is { } queue)
                await queue.UnsubscribeAsync();
        }
        catch (Exception)
        {
            // Redis is gone; the subscription went with the connection
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A per-user frame could not be published to Redis")]
    private partial void LogPublishFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to a per-user channel on Redis failed; retrying")]
    private partial void LogSubscribeFailed(Exception e);
}

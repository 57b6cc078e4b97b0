using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ChatterWeb.Delivery.Redis;

/// <summary>
/// The room bus across instances: one Redis channel per room (<c>chatter:room:{id}</c>), subscribed
/// only while this instance listens to the room, read through a <see cref="ChannelMessageQueue"/> so
/// frames are handed over one at a time, in order.
/// <para>
/// A publish is sent to Redis without waiting (fire-and-forget, skipped while disconnected) and then
/// delivered to this instance's own listener; the payload carries this instance's id, so our own
/// frames coming back from Redis are dropped instead of shown twice. While Redis is down the room
/// keeps working on each instance; what the others missed is healed from the database when Redis is
/// back (<see cref="RedisHealTriggers"/>). Order and duplicates are the room sequencer's business.
/// </para>
/// </summary>
public sealed partial class RedisRoomBus(IConnectionMultiplexer redis, InstanceId instance, ILogger<RedisRoomBus> logger) : IRoomBus
{
    public const string ChannelPrefix = "chatter:room:";

    private readonly ConcurrentDictionary<long, Listener> _listeners = new();
    private readonly IConnectionMultiplexer _redis = redis;
    private readonly Guid _instance = instance.Value;

    public static RedisChannel ChannelFor(long roomId) => RedisChannel.Literal(ChannelPrefix + roomId);

    /// <summary>
    /// Hands the frame to Redis first (fire-and-forget: it only joins the multiplexer's write queue),
    /// then to this instance's own sockets: the other instances' copy is on its way while the local
    /// fan-out runs, instead of waiting for it.
    /// </summary>
    public ValueTask PublishAsync(RoomFrame frame, CancellationToken cancellationToken = default)
    {
        // Disconnected: the other instances heal this from the database when Redis is back.
        if (_redis.IsConnected)
        {
            try
            {
                _redis.GetSubscriber().Publish(ChannelFor(frame.RoomId), RedisPayload.Encode(_instance, frame.Seq, frame.Html.Span), CommandFlags.FireAndForget);
            }
            catch (Exception e) when (e is RedisException or ObjectDisposedException)
            {
                LogPublishFailed(e, frame.RoomId);
            }
        }
        if (_listeners.TryGetValue(frame.RoomId, out var local))
            local.Deliver(frame);
        return ValueTask.CompletedTask;
    }

    public IDisposable Listen(long roomId, Action<RoomFrame> deliver)
    {
        var listener = new Listener(this, roomId, deliver);
        if (!_listeners.TryAdd(roomId, listener))
            throw new InvalidOperationException($"Room {roomId} already has a listener on this instance.");
        listener.Start();
        return listener;
    }

    /// <summary>One room's lease: the subscription, retried until it succeeds or the lease ends.</summary>
    private sealed class Listener(RedisRoomBus bus, long roomId, Action<RoomFrame> deliver) : IListenLease
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _disposed = new();
        private ChannelMessageQueue? _queue;

        public Task Listening => _listening.Task;

        public void Start()
        {
            // With Redis down a socket must not wait for a subscription that cannot happen yet: it is
            // served locally and healed from the database when Redis is back.
            if (!bus._redis.IsConnected)
                _listening.TrySetResult();
            _ = SubscribeAsync();
        }

        private async Task SubscribeAsync()
        {
            var subscriber = bus._redis.GetSubscriber();
            var channel = ChannelFor(roomId);
            while (!_disposed.IsCancellationRequested)
            {
                try
                {
                    var queue = await subscriber.SubscribeAsync(channel);
                    queue.OnMessage(OnRedisMessage);
                    lock (_gate)
                    {
                        if (!_disposed.IsCancellationRequested)
                        {
                            _queue = queue;
                            _listening.TrySetResult();
                            return;
                        }
                    }
                    await queue.UnsubscribeAsync();
                    return;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Redis is down. The failed attempt may have left its queue registered: drop it.
                    try { await subscriber.UnsubscribeAsync(channel); } catch (Exception) { }
                    bus.LogSubscribeFailed(e, roomId);
                    _listening.TrySetResult();
                    try { await Task.Delay(TimeSpan.FromSeconds(1), _disposed.Token); } catch (OperationCanceledException) { return; }
                }
            }
        }

        private void OnRedisMessage(ChannelMessage message)
        {
            if (!RedisPayload.TryDecode((byte[]?)message.Message, out var from, out var seq, out var html))
                return;
            if (from == bus._instance)
                return; // delivered locally when published
            Deliver(new RoomFrame(roomId, seq, html));
        }

        public void Deliver(RoomFrame frame)
        {
            if (!_disposed.IsCancellationRequested)
                deliver(frame);
        }

        public void Dispose()
        {
            ChannelMessageQueue? queue;
            lock (_gate)
            {
                if (_disposed.IsCancellationRequested)
                    return;
                _disposed.Cancel();
                queue = _queue;
            }
            bus._listeners.TryRemove(new KeyValuePair<long, Listener>(roomId, this));
            _listening.TrySetCanceled();
            if (queue is not null)
                _ = UnsubscribeQuietly(queue);
        }

        private static async Task UnsubscribeQuietly(ChannelMessageQueue queue)
        {
            try { await queue.UnsubscribeAsync(); } catch (Exception) { }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A frame for room {RoomId} could not be published to Redis")]
    private partial void LogPublishFailed(Exception e, long roomId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to room {RoomId} on Redis failed; retrying")]
    private partial void LogSubscribeFailed(Exception e, long roomId);
}

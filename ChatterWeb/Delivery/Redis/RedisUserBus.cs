using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ChatterWeb.Delivery.Redis;

/// <summary>
/// The per-user stream across instances: one Redis channel per user (<c>chatter:user:v2:{id}</c>),
/// subscribed only while this instance has a socket of that user. Like the room bus, a publish is
/// delivered locally at once and sent to Redis fire-and-forget; our own echo is dropped by instance
/// id. Frames are state (counts, not increments), so one lost while Redis is down is corrected by
/// the next one or by a page load.
/// </summary>
public sealed partial class RedisUserBus(IConnectionMultiplexer redis, InstanceId instance, ILogger<RedisUserBus> logger) : IUserBus
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
            redis.GetSubscriber().Publish(ChannelFor(frame.UserId), RedisPayload.Encode(instance.Value, frame.OnlyAbout, frame.Html.Span), CommandFlags.FireAndForget);
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
        return new Lease(() =>
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
                    if (RedisPayload.TryDecode((byte[]?)m.Message, out var from, out var onlyAbout, out var html) && from != instance.Value)
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

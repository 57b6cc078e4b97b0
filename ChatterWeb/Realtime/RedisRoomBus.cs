using System.Buffers.Binary;
using System.Collections.Concurrent;
using StackExchange.Redis;

namespace ChatterWeb.Realtime;

/// <summary>
/// The room bus across instances: one Redis channel per room (<c>chatter:room:{id}</c>), subscribed
/// only while this instance listens to the room (the hub holds one lease per room with local sockets),
/// read through a <see cref="ChannelMessageQueue"/> so frames are handed over one at a time, in order.
/// <para>
/// A publish is delivered to this instance's own listener at once and sent to Redis without waiting
/// (fire-and-forget, skipped while disconnected); the payload carries this instance's id, so our own
/// frames coming back from Redis are dropped instead of shown twice. While Redis is down the room keeps
/// working on each instance; what the others missed is healed from the database when Redis is back
/// (<see cref="RedisGapHealer"/>), using the per-room watermark this class keeps.
/// </para>
/// Payload: 16 bytes instance id, 8 bytes seq (big-endian), then the frame's HTML bytes.
/// </summary>
public sealed partial class RedisRoomBus(IConnectionMultiplexer redis, IServiceScopeFactory scopes, ILogger<RedisRoomBus> logger) : IRoomBus
{
    public const string ChannelPrefix = "chatter:room:";

    private readonly ConcurrentDictionary<long, Listener> _listeners = new();

    /// <summary>This process; frames it published are not delivered again when Redis echoes them.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    private IConnectionMultiplexer Redis => redis;

    /// <summary>The room's stored LastSeq: where a new lease's watermark starts.</summary>
    private async Task<long?> StoredLastSeqAsync(long roomId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Data.ChatterDbContext>();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
                db.Rooms.Where(r => r.Id == roomId).Select(r => (long?)r.LastSeq));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWatermarkFailed(e, roomId);
            return null;
        }
    }

    public static RedisChannel ChannelFor(long roomId) => RedisChannel.Literal(ChannelPrefix + roomId);

    /// <summary>
    /// Hands the frame to Redis first (fire-and-forget: it only joins the multiplexer's write queue),
    /// then to this instance's own sockets: the other instances' copy is on its way while the local
    /// fan-out runs, instead of waiting for it (that wait was part of the measured Redis hop).
    /// </summary>
    public ValueTask PublishAsync(RoomFrame frame, CancellationToken cancellationToken = default)
    {
        // Disconnected: the other instances heal this from the database when Redis is back.
        if (redis.IsConnected)
        {
            try
            {
                redis.GetSubscriber().Publish(ChannelFor(frame.RoomId), RedisPayload.Encode(InstanceId, frame.Seq, frame.Html.Span), CommandFlags.FireAndForget);
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

    /// <summary>The rooms listened to now, each with the highest seq up to which nothing is missing (null: no message seen yet).</summary>
    public IReadOnlyList<(long RoomId, long? Watermark, bool HasGap)> Watermarks() =>
        [.. _listeners.Values.Select(l => l.State)];

    /// <summary>
    /// Delivers messages read from the database to the room's local listener, skipping any seq it
    /// has already delivered (so a socket that was open throughout gets each message once).
    /// </summary>
    public void DeliverCatchUp(long roomId, IReadOnlyList<Messages.MessageView> messages)
    {
        if (_listeners.TryGetValue(roomId, out var listener))
            listener.CatchUp(messages);
    }

    /// <summary>Sends a frame to this instance's own sockets in the room only (e.g. a reload request).</summary>
    public void DeliverLocally(RoomFrame frame)
    {
        if (_listeners.TryGetValue(frame.RoomId, out var listener))
            listener.Deliver(frame);
    }

    /// <summary>
    /// One room's lease: the subscription (retried until it succeeds or the lease ends) and the
    /// delivery gate that keeps local and remote frames in one order and tracks which seqs were shown.
    /// </summary>
    private sealed class Listener(RedisRoomBus bus, long roomId, Action<RoomFrame> deliver) : IListenLease
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _disposed = new();
        private readonly SortedSet<long> _above = [];
        private ChannelMessageQueue? _queue;
        private long? _watermark;
        // Seqs at or below this were stored before the lease began: never delivered by a catch-up,
        // so one arriving late from Redis is passed on, not mistaken for a duplicate.
        private long _floor = long.MinValue;

        public long RoomId => roomId;
        public Task Listening => _listening.Task;

        public (long RoomId, long? Watermark, bool HasGap) State
        {
            get { lock (_gate) return (roomId, _watermark, _above.Count > 0); }
        }

        public void Start()
        {
            // With Redis down a socket must not wait for a subscription that cannot happen yet: it is
            // served locally and healed from the database when Redis is back.
            if (!bus.Redis.IsConnected)
                _listening.TrySetResult();
            _ = SubscribeAsync();
        }

        private async Task SubscribeAsync()
        {
            var subscriber = bus.Redis.GetSubscriber();
            var channel = ChannelFor(roomId);
            while (!_disposed.IsCancellationRequested)
            {
                try
                {
                    var queue = await subscriber.SubscribeAsync(channel);
                    queue.OnMessage(OnRedisMessage);
                    // Subscribed: everything stored from now on is heard live; what was stored before
                    // is what the sockets resume from the database. Start the watermark there.
                    var stored = await bus.StoredLastSeqAsync(roomId);
                    lock (_gate)
                    {
                        if (stored is long last && _watermark is null)
                            _watermark = _floor = last;
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
            if (!RedisPayload.TryDecode((byte[]?)message.Message, out var instance, out var seq, out var html))
                return;
            if (instance == bus.InstanceId)
                return; // delivered locally when published
            Deliver(new RoomFrame(roomId, seq, html));
        }

        public void Deliver(RoomFrame frame)
        {
            lock (_gate)
            {
                if (_disposed.IsCancellationRequested)
                    return;
                if (frame.Seq > 0)
                {
                    if (_watermark is null)
                        _watermark = _floor = frame.Seq - 1;
                    if (frame.Seq <= _floor)
                    {
                        deliver(frame); // stored before this lease began, arriving late
                        return;
                    }
                    if (frame.Seq <= _watermark || !_above.Add(frame.Seq))
                        return; // already shown (a catch-up raced the live frame)
                    Advance();
                }
                deliver(frame);
            }
        }

        public void CatchUp(IReadOnlyList<Messages.MessageView> messages)
        {
            lock (_gate)
            {
                if (_disposed.IsCancellationRequested)
                    return;
                var missing = messages.Where(m => m.Seq > (_watermark ?? 0) && !_above.Contains(m.Seq)).OrderBy(m => m.Seq).ToList();
                foreach (var m in missing)
                    _above.Add(m.Seq);
                if (messages.Count > 0)
                {
                    // Everything up to the newest stored message has now been shown.
                    var top = messages.Max(m => m.Seq);
                    _above.RemoveWhere(s => s <= top);
                    _watermark = Math.Max(_watermark ?? 0, top);
                    Advance();
                }
                if (missing.Count > 0)
                    deliver(new RoomFrame(roomId, missing[^1].Seq, Messages.MessageMarkup.RenderFragment(missing)));
            }
        }

        private void Advance()
        {
            while (_above.Count > 0 && _above.Min == _watermark + 1)
            {
                _watermark = _above.Min;
                _above.Remove(_above.Min);
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the stored seq of room {RoomId}; its watermark starts with the first frame")]
    private partial void LogWatermarkFailed(Exception e, long roomId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to room {RoomId} on Redis failed; retrying")]
    private partial void LogSubscribeFailed(Exception e, long roomId);
}

/// <summary>
/// What the room and per-user channels carry: 16 bytes of the publishing instance's id (so an
/// instance drops its own echo), one 8-byte big-endian number (a room frame's seq; a per-user
/// frame's badge-only room), then the HTML bytes.
/// </summary>
internal static class RedisPayload
{
    public const int HeaderBytes = 24;

    public static byte[] Encode(Guid instance, long number, ReadOnlySpan<byte> html)
    {
        var payload = new byte[HeaderBytes + html.Length];
        instance.TryWriteBytes(payload.AsSpan(0, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(16, 8), number);
        html.CopyTo(payload.AsSpan(HeaderBytes));
        return payload;
    }

    public static bool TryDecode(byte[]? payload, out Guid instance, out long number, out ReadOnlyMemory<byte> html)
    {
        if (payload is null || payload.Length < HeaderBytes)
        {
            (instance, number, html) = (default, 0, default);
            return false;
        }
        instance = new Guid(payload.AsSpan(0, 16));
        number = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(16, 8));
        html = payload.AsMemory(HeaderBytes);
        return true;
    }
}

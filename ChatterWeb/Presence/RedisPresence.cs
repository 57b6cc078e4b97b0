using ChatterWeb.Delivery.Redis;
using StackExchange.Redis;

namespace ChatterWeb.Presence;

/// <summary>
/// Cluster-wide presence. Per room, a sorted set <c>chatter:presence:{room}</c> of
/// <c>{userId}|{instanceId}</c> scored by expiry (unix ms) and a hash <c>…:names</c> of display
/// names. Each instance refreshes its own entries every <see cref="Heartbeat"/>; an entry expires
/// after <see cref="Ttl"/>, so an instance that dies stops counting within ~30 s. A user counts once
/// however many tabs or instances. This instance's own sockets always count, so the list is
/// still right locally while Redis is down.
/// </summary>
public sealed partial class RedisPresence(IConnectionMultiplexer redis, PresenceTracker local, InstanceId instance, TimeProvider time, ILogger<RedisPresence> logger) : IPresence
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RedisWait = TimeSpan.FromSeconds(1);

    internal static RedisKey SetKey(long roomId) => $"chatter:presence:{roomId}";
    internal static RedisKey NamesKey(long roomId) => $"chatter:presence:{roomId}:names";
    private string Member(string userId) => $"{userId}|{instance.Value:N}";

    public async ValueTask<bool> JoinAsync(long roomId, string userId, string displayName)
    {
        if (!local.Join(roomId, userId, displayName))
            return false;
        await TryAsync(() => WriteAsync(roomId, [(userId, displayName)]));
        return true;
    }

    public async ValueTask<bool> LeaveAsync(long roomId, string userId)
    {
        if (!local.Leave(roomId, userId))
            return false;
        await TryAsync(() => redis.GetDatabase().SortedSetRemoveAsync(SetKey(roomId), Member(userId)));
        return true;
    }

    public async ValueTask<IReadOnlyList<PresentUser>> InRoomAsync(long roomId, CancellationToken ct = default)
    {
        var here = local.InRoom(roomId);
        if (!redis.IsConnected)
            return here;
        try
        {
            var db = redis.GetDatabase();
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var members = await db.SortedSetRangeByScoreAsync(SetKey(roomId), now, double.PositiveInfinity).WaitAsync(RedisWait, ct);
            var ids = members.Select(m => ((string)m!).Split('|')[0]).Except(here.Select(p => p.UserId)).Distinct().ToArray();
            var names = ids.Length == 0 ? [] : await db.HashGetAsync(NamesKey(roomId), [.. ids.Select(i => (RedisValue)i)]).WaitAsync(RedisWait, ct);
            return [.. here.Concat(ids.Select((id, i) => new PresentUser(id, names[i].IsNull ? "?" : names[i].ToString())))
                .OrderBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(e);
            return here;
        }
    }

    /// <summary>Whether Redis is reachable now (the heartbeat skips its round when not).</summary>
    public bool IsConnected => redis.IsConnected;

    /// <summary>Refreshes this instance's entries and drops expired ones (the heartbeat).</summary>
    public async Task RefreshAsync()
    {
        foreach (var room in local.Entries().GroupBy(e => e.RoomId))
            await WriteAsync(room.Key, [.. room.Select(e => (e.UserId, e.DisplayName))]);
    }

    private async Task WriteAsync(long roomId, IReadOnlyList<(string UserId, string DisplayName)> users)
    {
        var now = time.GetUtcNow();
        var expiry = (now + Ttl).ToUnixTimeMilliseconds();
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var tasks = new List<Task>
        {
            batch.SortedSetAddAsync(SetKey(roomId), [.. users.Select(u => new SortedSetEntry(Member(u.UserId), expiry))]),
            batch.HashSetAsync(NamesKey(roomId), [.. users.Select(u => new HashEntry(u.UserId, u.DisplayName))]),
            batch.SortedSetRemoveRangeByScoreAsync(SetKey(roomId), double.NegativeInfinity, now.ToUnixTimeMilliseconds()),
            batch.KeyExpireAsync(SetKey(roomId), Ttl * 2),
            batch.KeyExpireAsync(NamesKey(roomId), Ttl * 2),
        };
        batch.Execute();
        await Task.WhenAll(tasks).WaitAsync(RedisWait);
    }

    private async Task TryAsync(Func<Task> redisCall)
    {
        if (!redis.IsConnected)
            return;
        try
        {
            await redisCall().WaitAsync(RedisWait);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence in Redis is unavailable; showing this instance's own sockets")]
    private partial void LogRedisFailed(Exception e);
}

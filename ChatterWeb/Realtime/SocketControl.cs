using System.Net.WebSockets;
using System.Text.Json;
using ChatterWeb.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ChatterWeb.Realtime;

/// <summary>Closes a user's sockets on every instance (sign-out, removal from a room).</summary>
public interface ISocketControl
{
    ValueTask CloseUserAsync(string userId, string reason, long? roomId = null);
}

/// <summary>One instance: the local hub is everyone.</summary>
public sealed class LocalSocketControl(RoomHub hub) : ISocketControl
{
    public ValueTask CloseUserAsync(string userId, string reason, long? roomId = null)
    {
        hub.CloseUser(userId, CloseCodes.Policy, reason, roomId);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Control messages on <c>chatter:control</c>: "close this user's sockets" (applied by every
/// instance to its own hub, with 1008) and "resync" (an instance lost Redis for a while: every
/// instance heals its rooms from the database). The local hub is always applied directly too, so
/// sign-out works on this instance while Redis is down.
/// </summary>
public sealed partial class RedisSocketControl(IConnectionMultiplexer redis, RoomHub hub, RedisRoomBus bus, ILogger<RedisSocketControl> logger) : ISocketControl
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("chatter:control");

    internal sealed record Command(string Kind, Guid From, string? UserId = null, string? Reason = null, long? RoomId = null);

    /// <summary>Raised for a "resync" from another instance.</summary>
    public event Action? ResyncRequested;

    public async ValueTask CloseUserAsync(string userId, string reason, long? roomId = null)
    {
        hub.CloseUser(userId, CloseCodes.Policy, reason, roomId);
        await SendAsync(new Command("close", bus.InstanceId, userId, reason, roomId));
    }

    public Task RequestResyncAsync() => SendAsync(new Command("resync", bus.InstanceId));

    private async Task SendAsync(Command command)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(command)).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogControlFailed(e, command.Kind);
        }
    }

    public async Task StartAsync()
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        queue.OnMessage(m =>
        {
            Command? command;
            try { command = JsonSerializer.Deserialize<Command>((byte[])m.Message!); }
            catch (JsonException) { return; }
            if (command is null || command.From == bus.InstanceId)
                return;
            if (command.Kind == "close" && command.UserId is not null)
                hub.CloseUser(command.UserId, CloseCodes.Policy, command.Reason ?? "", command.RoomId);
            else if (command.Kind == "resync")
                ResyncRequested?.Invoke();
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} control message could not be sent through Redis")]
    private partial void LogControlFailed(Exception e, string kind);
}

/// <summary>
/// Heals what Redis pub/sub lost (it is at-most-once; the database is the truth): when this
/// instance's Redis connection comes back, when another instance says its own came back, and
/// every <see cref="Tick"/> for a room whose stored LastSeq stays ahead of what its sockets were shown, each local room gets the
/// messages after its watermark from the database — only the ones it has not shown yet, so an
/// open socket sees every message exactly once. Sockets are not closed: nobody reconnects at once.
/// </summary>
public sealed partial class RedisGapHealer(
    IConnectionMultiplexer redis,
    RedisRoomBus bus,
    RedisSocketControl control,
    IServiceScopeFactory scopes,
    IOptions<RealtimeOptions> options,
    ILogger<RedisGapHealer> logger) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _healing = new(1, 1);
    private int _pending;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType != ConnectionType.Subscription)
                return;
            _ = Task.Run(async () =>
            {
                // Heal at once, tell the others, and heal again once the resubscriptions that run on
                // restore have surely completed (a frame published in between was not heard).
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
                await HealAsync(all: true, stoppingToken);
                await control.RequestResyncAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                await HealAsync(all: true, stoppingToken);
            }, stoppingToken);
        };
        control.ResyncRequested += () => _ = HealAsync(all: true, stoppingToken);
        await StartControlAsync(stoppingToken);

        // Backstop for anything else lost (a partition between one instance and Redis, a dropped
        // frame): a room whose stored LastSeq was ahead of what its sockets were shown at the
        // previous tick, and still is, is healed. One query per tick for all local rooms.
        using var timer = new PeriodicTimer(Tick);
        Dictionary<long, long> behindLastTick = [];
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var marks = bus.Watermarks().Where(w => w.Watermark is not null).ToDictionary(w => w.RoomId, w => w.Watermark!.Value);
                if (marks.Count == 0)
                {
                    behindLastTick.Clear();
                    continue;
                }
                var ids = marks.Keys.ToList();
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ChatterWeb.Data.ChatterDbContext>();
                var stored = await db.Rooms.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.LastSeq })
                    .ToDictionaryAsync(r => r.Id, r => r.LastSeq, stoppingToken);
                var stale = behindLastTick.Where(b => marks.TryGetValue(b.Key, out var shown) && shown < b.Value).Select(b => b.Key).ToHashSet();
                behindLastTick = stored.Where(s => marks[s.Key] < s.Value).ToDictionary(s => s.Key, s => s.Value);
                if (stale.Count > 0)
                    await HealAsync(all: false, stoppingToken, stale);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogHealFailed(e, 0);
            }
        }
    }

    private async Task StartControlAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await control.StartAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogHealFailed(e, 0);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    /// <summary>Heals every local room (or the given ones) from the database.</summary>
    public async Task HealAsync(bool all, CancellationToken ct, IReadOnlySet<long>? rooms = null)
    {
        // A heal already queued behind a running one covers this request too.
        if (Interlocked.Increment(ref _pending) > 2)
        {
            Interlocked.Decrement(ref _pending);
            return;
        }
        await _healing.WaitAsync(ct);
        try
        {
            var limit = options.Value.ResumeLimit;
            foreach (var (roomId, watermark, _) in bus.Watermarks())
            {
                if (watermark is not long after || (!all && rooms?.Contains(roomId) != true))
                    continue;
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var missed = await scope.ServiceProvider.GetRequiredService<MessageHistory>().AfterAsync(roomId, after, limit + 1, ct);
                    bus.DeliverCatchUp(roomId, missed);
                    if (missed.Count > limit)
                        bus.DeliverLocally(new RoomFrame(roomId, 0, ComposerStatus.Reload()));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogHealFailed(e, roomId);
                }
            }
        }
        finally
        {
            _healing.Release();
            Interlocked.Decrement(ref _pending);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Healing room {RoomId} from the database failed")]
    private partial void LogHealFailed(Exception e, long roomId);
}

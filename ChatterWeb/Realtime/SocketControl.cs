using System.Net.WebSockets;
using System.Text.Json;
using ChatterWeb.Messages;
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
/// every <see cref="Tick"/> for a room whose delivered seqs have a hole, each local room gets the
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
                // Resubscriptions run on restore too; heal after them, then tell the others.
                await Task.Delay(TimeSpan.FromMilliseconds(200), stoppingToken);
                await HealAsync(all: true, stoppingToken);
                await control.RequestResyncAsync();
            }, stoppingToken);
        };
        control.ResyncRequested += () => _ = HealAsync(all: true, stoppingToken);
        await StartControlAsync(stoppingToken);

        using var timer = new PeriodicTimer(Tick);
        HashSet<long> gapsLastTick = [];
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var gaps = bus.Watermarks().Where(w => w.HasGap).Select(w => w.RoomId).ToHashSet();
            var stale = gaps.Intersect(gapsLastTick).ToHashSet();
            gapsLastTick = gaps;
            if (stale.Count > 0)
                await HealAsync(all: false, stoppingToken, stale);
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

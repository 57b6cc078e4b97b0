using StackExchange.Redis;

namespace ChatterWeb.Delivery.Redis;

/// <summary>
/// When to heal rooms from the database (<see cref="GapHealer"/>) with Redis between instances:
/// when this instance's Redis connection comes back, when another instance says its own came back
/// ("resync" on the control channel), and every <see cref="Tick"/> for a room that stays behind its
/// stored LastSeq. Also starts listening to the control channel.
/// </summary>
public sealed partial class RedisHealTriggers(IConnectionMultiplexer redis, GapHealer healer, RedisSocketControl control, ILogger<RedisHealTriggers> logger) : BackgroundService
{
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

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
                await healer.HealAsync(stoppingToken);
                await control.RequestResyncAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                await healer.HealAsync(stoppingToken);
            }, stoppingToken);
        };
        control.ResyncRequested += () => _ = healer.HealAsync(stoppingToken);
        await StartControlAsync(stoppingToken);
        await healer.RunBackstopAsync(Tick, stoppingToken);
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
                LogControlFailed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening to the control channel on Redis failed; retrying")]
    private partial void LogControlFailed(Exception e);
}

using System.Collections.Concurrent;
using ChatterWeb.Delivery;
using StackExchange.Redis;

namespace ChatterWeb.Presence;

/// <summary>
/// With Redis, every <see cref="RedisPresence.Heartbeat"/>: refresh this instance's presence entries, then give
/// each local room the current list when it differs from the last one its sockets got (someone on
/// another instance left, or an instance died and its entries expired).
/// </summary>
public sealed partial class PresenceHeartbeat(IPresence presence, PresenceTracker local, RoomSockets sockets, ILogger<PresenceHeartbeat> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, string> _lastSent = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (presence is not RedisPresence clustered)
            return; // one instance: every change is published as it happens
        using var timer = new PeriodicTimer(RedisPresence.Heartbeat);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!clustered.IsConnected)
                continue;
            try
            {
                await clustered.RefreshAsync();
                var rooms = local.RoomIds();
                foreach (var stale in _lastSent.Keys.Except(rooms))
                    _lastSent.TryRemove(stale, out _);
                foreach (var roomId in rooms)
                {
                    var people = await clustered.InRoomAsync(roomId, stoppingToken);
                    var key = string.Join("\n", people.Select(p => p.UserId + "|" + p.DisplayName));
                    if (_lastSent.TryGetValue(roomId, out var last) && last == key)
                        continue;
                    _lastSent[roomId] = key;
                    sockets.Deliver(new RoomFrame(roomId, 0, PresenceMarkup.RenderFragment(people)));
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                LogHeartbeatFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Presence heartbeat to Redis failed")]
    private partial void LogHeartbeatFailed(Exception e);
}

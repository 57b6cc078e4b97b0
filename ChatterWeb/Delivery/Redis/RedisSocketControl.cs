using System.Text.Json;
using StackExchange.Redis;

namespace ChatterWeb.Delivery.Redis;

/// <summary>
/// Control messages on <c>chatter:control</c>: "close this user's sockets" (applied by every
/// instance to its own sockets, with 1008) and "resync" (an instance lost Redis for a while: every
/// instance heals its rooms from the database). This instance's own sockets are always closed
/// directly too, so sign-out works here while Redis is down.
/// </summary>
public sealed partial class RedisSocketControl(IConnectionMultiplexer redis, UserSockets sockets, InstanceId instance, ILogger<RedisSocketControl> logger) : ISocketControl
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("chatter:control");

    internal sealed record Command(string Kind, Guid From, string? UserId = null, string? Reason = null, long? RoomId = null);

    /// <summary>Raised for a "resync" from another instance.</summary>
    public event Action? ResyncRequested;

    public async ValueTask CloseUserAsync(string userId, string reason, long? roomId = null)
    {
        sockets.CloseUser(userId, CloseCodes.Policy, reason, roomId);
        await SendAsync(new Command("close", instance.Value, userId, reason, roomId));
    }

    public Task RequestResyncAsync() => SendAsync(new Command("resync", instance.Value));

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
            if (command is null || command.From == instance.Value)
                return;
            if (command.Kind == "close" && command.UserId is not null)
                sockets.CloseUser(command.UserId, CloseCodes.Policy, command.Reason ?? "", command.RoomId);
            else if (command.Kind == "resync")
                ResyncRequested?.Invoke();
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Kind} control message could not be sent through Redis")]
    private partial void LogControlFailed(Exception e, string kind);
}

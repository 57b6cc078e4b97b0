using System.Threading.Channels;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Bots;

/// <summary>
/// Hears every stored message (<see cref="IMessageListener"/>, called in the writer's path before the
/// sender's ack) and only queues: no query, no call. What cannot call a bot is dropped here at once: a
/// message by a bot (no bot answers a bot, so two bots cannot talk forever), and one that neither
/// mentions anyone nor starts with <c>/</c>. <see cref="BotDispatcher"/> reads the queue.
/// </summary>
public sealed partial class BotQueue(IOptions<BotOptions> options, ILogger<BotQueue> logger) : IMessageListener
{
    private readonly Channel<BotTrigger> _queue = Channel.CreateBounded<BotTrigger>(
        new BoundedChannelOptions(options.Value.BotQueueLength) { FullMode = BoundedChannelFullMode.Wait /* TryWrite says false when full */, SingleReader = true });

    public static bool MayCallABot(MessageView message) =>
        !message.AuthorIsBot && message.DeletedAt is null && (message.Mentions is not null || message.Body.StartsWith('/'));

    ValueTask IMessageListener.StoredAsync(RoomInfo room, MessageView message)
    {
        if (MayCallABot(message) && !_queue.Writer.TryWrite(new BotTrigger(room, message)))
            LogDropped(room.Id, message.Seq);
        return ValueTask.CompletedTask;
    }

    ValueTask IMessageListener.ChangedAsync(RoomInfo room, MessageView message) => ValueTask.CompletedTask; // an edit does not call a bot again

    internal ChannelReader<BotTrigger> Reader => _queue.Reader;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bot queue is full: message {Seq} of room {RoomId} calls no bot")]
    private partial void LogDropped(long roomId, long seq);
}

using System.Globalization;
using System.Text;
using System.Threading.Channels;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Realtime;
using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

/// <summary>
/// After a message is stored, each member of its room gets, on their own per-user stream, their new
/// unread count for that room (and, when their setting asks for it, a notification signal). Posting
/// only queues the event; a background worker does the counting, coalescing what queued up per room
/// (one count query per room per batch), so a busy room costs one query per batch, not per message.
/// </summary>
public sealed class UnreadNotifier
{
    private readonly Channel<(RoomInfo Room, MessageView Message)> _queue =
        Channel.CreateBounded<(RoomInfo, MessageView)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Posted(RoomInfo room, MessageView message) => _queue.Writer.TryWrite((room, message));

    internal ChannelReader<(RoomInfo Room, MessageView Message)> Reader => _queue.Reader;
}

public sealed partial class UnreadWorker(UnreadNotifier notifier, IServiceScopeFactory scopes, IUserBus users, ILogger<UnreadWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = notifier.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            var batch = new List<(RoomInfo Room, MessageView Message)>();
            while (batch.Count < 1000 && reader.TryRead(out var item))
                batch.Add(item);
            foreach (var room in batch.GroupBy(b => b.Room.Id))
            {
                try
                {
                    await NotifyRoomAsync(room.First().Room, [.. room.Select(r => r.Message)], stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogNotifyFailed(e, room.Key);
                }
            }
        }
    }

    private async Task NotifyRoomAsync(RoomInfo room, IReadOnlyList<MessageView> posted, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var sidebar = scope.ServiceProvider.GetRequiredService<Sidebar>();
        foreach (var member in await reads.MembersAsync(room.Id, ct))
        {
            var theirs = posted.Where(m => m.AuthorId != member.UserId).ToList();
            if (theirs.Count == 0)
                continue; // only their own messages: nothing new for them
            using var sw = new StringWriter(CultureInfo.InvariantCulture);
            if (room.Kind == RoomKind.Direct)
            {
                // Direct rooms are small; the whole list, so a conversation someone else started appears.
                DirectListMarkup.Write(sw, await sidebar.DirectsAsync(member.UserId, ct), await reads.ForUserAsync(member.UserId, ct), currentSlug: null);
            }
            else
            {
                UnreadMarkup.WriteBadge(sw, room.Id, new UnreadCount(member.Count, member.Mentions));
            }
            var level = ReadState.Effective(member.Notify, room.Kind);
            var notify = theirs.LastOrDefault(m => level == NotifyLevel.Everything
                || (level == NotifyLevel.Mentions && Mentions.Includes(m.Mentions, member.UserId)));
            if (notify is not null)
                UnreadMarkup.WriteNotify(sw, room, notify, Mentions.Includes(notify.Mentions, member.UserId));
            await users.PublishAsync(new UserFrame(member.UserId, Encoding.UTF8.GetBytes(sw.ToString())));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unread counts for room {RoomId} could not be sent")]
    private partial void LogNotifyFailed(Exception e, long roomId);
}

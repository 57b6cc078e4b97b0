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
    /// <summary>How long posts are gathered before members' counts are sent: bounds the per-member update rate of a busy room.</summary>
    internal static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = notifier.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            // Gather for a moment: a busy room's members get one count per gathering, not one per
            // message (each member's update goes to every tab they have open).
            await Task.Delay(Gather, stoppingToken);
            var batch = new List<(RoomInfo Room, MessageView Message)>();
            while (batch.Count < 1000 && reader.TryRead(out var item))
                batch.Add(item);
            await NotifyAsync(batch, stoppingToken);
        }
    }

    /// <summary>
    /// One frame per member for the whole gathering, however many rooms it touched: a person in ten
    /// busy rooms gets one update per gathering on each tab, not ten (every element in it is an
    /// out-of-band swap, and the page swaps each top-level element of a frame).
    /// </summary>
    private async Task NotifyAsync(List<(RoomInfo Room, MessageView Message)> batch, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var sidebar = scope.ServiceProvider.GetRequiredService<Sidebar>();
        var frames = new Dictionary<string, StringWriter>();
        var directListSent = new HashSet<string>();
        foreach (var room in batch.GroupBy(b => b.Room.Id))
        {
            try
            {
                await WriteRoomAsync(room.First().Room, [.. room.Select(r => r.Message)], reads, sidebar, frames, directListSent, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotifyFailed(e, room.Key);
            }
        }
        foreach (var (userId, frame) in frames)
            await users.PublishAsync(new UserFrame(userId, Encoding.UTF8.GetBytes(frame.ToString())));
    }

    private static async Task WriteRoomAsync(RoomInfo room, IReadOnlyList<MessageView> posted, ReadState reads, Sidebar sidebar,
        Dictionary<string, StringWriter> frames, HashSet<string> directListSent, CancellationToken ct)
    {
        foreach (var member in await reads.MembersAsync(room.Id, ct))
        {
            var theirs = posted.Where(m => m.AuthorId != member.UserId).ToList();
            if (theirs.Count == 0)
                continue; // only their own messages: nothing new for them
            if (!frames.TryGetValue(member.UserId, out var sw))
                frames[member.UserId] = sw = new StringWriter(CultureInfo.InvariantCulture);
            if (room.Kind == RoomKind.Direct)
            {
                // Direct rooms are small; the whole list (once per gathering), so a conversation someone else started appears.
                if (directListSent.Add(member.UserId))
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
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unread counts for room {RoomId} could not be sent")]
    private partial void LogNotifyFailed(Exception e, long roomId);
}

using System.Globalization;
using System.Text;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Delivery;
using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

public sealed partial class UnreadWorker(UnreadNotifier notifier, IServiceScopeFactory scopes, IUserBus users, UserSockets sockets, TimeProvider time,
    ILogger<UnreadWorker> logger) : BackgroundService
{
    /// <summary>How long posts and read marks are gathered before counts are sent: bounds the per-member update rate of a busy room.</summary>
    internal static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(250);

    /// <summary>The gathering after a busy one (<see cref="BusyPosts"/> posts or more): under load, counts go out once a second.</summary>
    internal static readonly TimeSpan BusyGather = TimeSpan.FromSeconds(1);

    /// <summary>Posts in one gathering from which the next one waits <see cref="BusyGather"/> (20 in 250 ms is 80 a second; once stretched, 20 a second keeps it so).</summary>
    internal const int BusyPosts = 20;

    /// <summary>Most events one gathering takes; more waiting means a backlog, taken at once.</summary>
    internal const int MaxBatch = 5000;

    /// <summary>
    /// Socket sends (a person frame costs one per tab the person has open here) handed to the user
    /// streams back to back; then <see cref="SlicePause"/>. A person with more tabs than this goes alone.
    /// </summary>
    internal const int SendsPerSlice = 40;

    /// <summary>The pause between slices of person frames: 40 sends per 2 ms is at most 20,000 tabs a second.</summary>
    internal static readonly TimeSpan SlicePause = TimeSpan.FromMilliseconds(2);

    /// <summary>Gatherings that were followed by the stretched wait (for tests and metrics).</summary>
    internal int StretchedGatherings => Volatile.Read(ref _stretched);

    private int _stretched;

    /// <summary>
    /// How long the next gathering waits: <see cref="Gather"/>, or <see cref="BusyGather"/> after a
    /// gathering that held <see cref="BusyPosts"/> posts or more. Every gathering re-counts each room
    /// it touched for all its members (a read of up to 1,000 messages per room) and sends each of
    /// them a frame, so under a flood of posts the counting and the badge frames would take their
    /// share of the machine four times a second; a badge that lags a busy room by a second costs
    /// nobody anything.
    /// </summary>
    internal static TimeSpan NextGather(int postsInLast) => postsInLast >= BusyPosts ? BusyGather : Gather;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = notifier.Reader;
        var wait = Gather;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            // Gather for a moment: a busy room's members get one count per gathering, not one per
            // message (each member's update goes to every tab they have open).
            await Task.Delay(wait, stoppingToken);
            var batch = new List<ReadStateEvent>();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
                batch.Add(item);
            var posts = await NotifyAsync(batch, stoppingToken);
            // A full batch leaves a backlog (thousands of read marks, say): the next gathering takes
            // it at once. Otherwise a busy one stretches the wait.
            wait = batch.Count >= MaxBatch ? TimeSpan.Zero : NextGather(posts);
            if (wait == BusyGather)
                Interlocked.Increment(ref _stretched);
        }
    }

    /// <summary>
    /// Read marks first (whole rooms per transaction, <see cref="ReadState"/>), then one frame per member for the whole gathering, however
    /// many rooms it touched: a person in ten busy rooms gets one update per gathering on each tab,
    /// not ten (every element in it is an out-of-band swap, and the page swaps each top-level element).
    /// Returns how many posts the gathering held.
    /// </summary>
    private async Task<int> NotifyAsync(List<ReadStateEvent> batch, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ReadState>();
        var sidebar = scope.ServiceProvider.GetRequiredService<Sidebar>();
        var frames = new Dictionary<string, PersonFrame>();

        var moved = new List<(RoomInfo Room, string UserId)>();
        var marks = batch.Where(e => e.ReaderId is not null)
            .GroupBy(e => (e.Room.Id, e.ReaderId!))
            .Select(g => (g.First().Room, UserId: g.Key.Item2, UpToSeq: g.Max(e => e.UpToSeq)))
            .ToList();
        if (marks.Count > 0)
        {
            try
            {
                moved = await reads.MarkReadAsync(marks, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReadFailed(e, marks.Count);
            }
        }

        var posted = batch.Where(e => e.Message is not null).GroupBy(e => e.Room.Id).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var (roomId, events) in posted)
        {
            try
            {
                var readers = moved.Where(m => m.Room.Id == roomId).Select(m => m.UserId).ToHashSet();
                await WriteRoomAsync(events[0].Room, [.. events.Select(e => e.Message!)], readers, reads, sidebar, frames, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotifyFailed(e, roomId);
            }
        }
        // Reads in rooms nobody posted to in this gathering: the reader's tabs hear their count (the
        // rooms with posts were counted above, after the marks were written).
        foreach (var (room, userId) in moved.Where(m => !posted.ContainsKey(m.Room.Id)))
        {
            try
            {
                UnreadMarkup.WriteBadge(FrameFor(frames, userId).Badge(room.Id), room.Id, await reads.ForRoomAsync(room.Id, userId, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotifyFailed(e, room.Id);
            }
        }
        await PublishSpreadAsync(users, frames.Select(f => new UserFrame(f.Key, Encoding.UTF8.GetBytes(f.Value.Html.ToString()), OnlyAbout: Math.Max(f.Value.OnlyBadgeOf, 0))), sockets.CountFor, time, ct);
        return posted.Values.Sum(events => events.Count);
    }

    /// <summary>
    /// Hands the gathering's person frames to the user streams in slices of at most
    /// <see cref="SendsPerSlice"/> socket sends, with <see cref="SlicePause"/> between slices. Each
    /// frame goes to every tab its person has open: a gathering of a busy room's 200 members with 10
    /// tabs each was 2,000 socket sends at once, queued on Kestrel's output queues in front of the room
    /// frames of every other socket, once a second (measured: p99 of a 100 msg/s fan-out 23-45 ms with
    /// the burst, 17-21 ms without). Slices are counted in sends, not people, because 20 people with 100
    /// tabs each are 2,000 sends too. Spread, they cost the same but delay nobody; a badge a few
    /// milliseconds later costs nothing. <paramref name="socketsOf"/> is how many tabs a person has on
    /// this instance (with several instances, an estimate of the sends each frame causes; at least one
    /// is counted for the publish itself).
    /// </summary>
    internal static async Task PublishSpreadAsync(IUserBus users, IEnumerable<UserFrame> frames, Func<string, int> socketsOf, TimeProvider time, CancellationToken ct)
    {
        var inSlice = 0;
        foreach (var frame in frames)
        {
            var sends = Math.Max(1, socketsOf(frame.UserId));
            if (inSlice > 0 && inSlice + sends > SendsPerSlice)
            {
                await Task.Delay(SlicePause, time, ct);
                inSlice = 0;
            }
            await users.PublishAsync(frame);
            inSlice += sends;
        }
    }

    /// <summary>One person's frame of this gathering: what it holds, and whether it is only one room's badge.</summary>
    private sealed class PersonFrame
    {
        public readonly StringWriter Html = new(CultureInfo.InvariantCulture);

        /// <summary>The only room whose badge is in it; 0 when none yet, -1 once it holds more (another badge, a notification, the direct list).</summary>
        public long OnlyBadgeOf;

        /// <summary>The direct-message list is in it (written once per gathering, however many direct rooms changed).</summary>
        public bool HasDirectList;

        public StringWriter Badge(long roomId)
        {
            OnlyBadgeOf = OnlyBadgeOf == 0 || OnlyBadgeOf == roomId ? roomId : -1;
            return Html;
        }

        public StringWriter Other()
        {
            OnlyBadgeOf = -1;
            return Html;
        }
    }

    private static PersonFrame FrameFor(Dictionary<string, PersonFrame> frames, string userId)
    {
        if (!frames.TryGetValue(userId, out var frame))
            frames[userId] = frame = new PersonFrame();
        return frame;
    }

    private static async Task WriteRoomAsync(RoomInfo room, IReadOnlyList<MessageView> posted, HashSet<string> readers, ReadState reads, Sidebar sidebar,
        Dictionary<string, PersonFrame> frames, CancellationToken ct)
    {
        foreach (var member in await reads.MembersAsync(room.Id, ct))
        {
            if (!readers.Contains(member.UserId) && posted.All(m => m.AuthorId == member.UserId))
                continue; // only their own messages and no read mark: nothing new for them
            var frame = FrameFor(frames, member.UserId);
            if (room.Kind == RoomKind.Direct)
            {
                // Direct rooms are small; the whole list (once per gathering), so a conversation someone else started appears.
                var list = frame.Other();
                if (!frame.HasDirectList)
                    DirectListMarkup.Write(list, await sidebar.DirectsAsync(member.UserId, ct), await reads.ForUserAsync(member.UserId, ct), currentSlug: null);
                frame.HasDirectList = true;
            }
            else
            {
                UnreadMarkup.WriteBadge(frame.Badge(room.Id), room.Id, new UnreadCount(member.Count, member.Mentions));
            }
            var level = ReadState.Effective(member.Notify, room.Kind);
            var notify = posted.LastOrDefault(m => m.AuthorId != member.UserId && InThreadOf(m, member.UserId) && (level == NotifyLevel.Everything
                || (level == NotifyLevel.Mentions && MentionsMember(m, member.UserId))));
            if (notify is not null)
                UnreadMarkup.WriteNotify(frame.Other(), room, notify, level != NotifyLevel.Nothing && MentionsMember(notify, member.UserId));
        }
    }

    /// <summary>It names the member, an <c>@here</c> reached them, or it says <c>@room</c> (<see cref="UnreadRule.Mentions"/>; asked only of members who are not set to Nothing).</summary>
    private static bool MentionsMember(MessageView m, string userId) =>
        Mentions.Includes(m.Mentions, userId) || m.RoomMention == RoomMention.Room;

    /// <summary>A message of the room, or a reply for one of the people in its thread (as <see cref="UnreadRule"/> counts it).</summary>
    private static bool InThreadOf(MessageView m, string userId) =>
        m.ParentSeq is null || m.AlsoInRoom || Mentions.Includes(m.ThreadPeople, userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} read marks could not be saved")]
    private partial void LogReadFailed(Exception e, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unread counts for room {RoomId} could not be sent")]
    private partial void LogNotifyFailed(Exception e, long roomId);
}

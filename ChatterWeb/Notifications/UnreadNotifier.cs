using System.Threading.Channels;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

/// <summary>
/// Read state's one writer and its one voice. After a message is stored, each member of its room
/// gets, on their own per-user stream, their new unread count for that room (and, when their
/// setting asks for it, a notification signal); when a page reports "read to here", the member's
/// LastReadSeq moves and every tab of theirs hears the new count. Both only queue an event: a
/// background worker gathers them for <see cref="UnreadWorker.Gather"/>, writes every read mark of
/// the gathering in one transaction, counts each touched room once, and sends each person one frame.
/// One worker for both also means a count is never computed from a read position older than one
/// already announced.
/// </summary>
public sealed class UnreadNotifier : IMessageListener
{
    private readonly Channel<ReadStateEvent> _queue =
        Channel.CreateBounded<ReadStateEvent>(new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Posted(RoomInfo room, MessageView message) => _queue.Writer.TryWrite(new ReadStateEvent(room, message, null, 0));

    ValueTask IMessageListener.StoredAsync(RoomInfo room, MessageView message)
    {
        Posted(room, message);
        return ValueTask.CompletedTask;
    }

    ValueTask IMessageListener.ChangedAsync(RoomInfo room, MessageView message) => ValueTask.CompletedTask; // counts are corrected by the next gathering

    /// <summary>The member has read <paramref name="roomId"/> up to <paramref name="upToSeq"/> (clamped to the newest; never goes back).</summary>
    public void Read(RoomInfo room, string userId, long upToSeq) => _queue.Writer.TryWrite(new ReadStateEvent(room, null, userId, upToSeq));

    internal ChannelReader<ReadStateEvent> Reader => _queue.Reader;
}

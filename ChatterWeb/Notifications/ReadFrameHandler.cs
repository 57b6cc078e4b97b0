using ChatterWeb.Delivery;
using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

/// <summary>
/// <c>{"type":"read","upToSeq":N}</c>: the page has shown everything up to N at the bottom. Queued
/// for the read-state worker (<see cref="UnreadNotifier"/>), which writes the gathering's marks in
/// one transaction and tells every tab of this person the new count. A page sends this after every
/// message it shows, so nothing is written here, and a mark not beyond this socket's last one is dropped.
/// </summary>
public sealed class ReadFrameHandler(UnreadNotifier unread) : ISocketFrameHandler
{
    public string Type => "read";

    /// <summary>The furthest this socket has reported.</summary>
    private sealed class ReadUpTo
    {
        public long Seq;
    }

    public ValueTask HandleAsync(SocketSession session, ClientFrame frame, CancellationToken stopping)
    {
        if (!frame.TryGetCount("upToSeq", orDigits: false, out var upToSeq, out var error) || upToSeq is null)
        {
            session.NotUnderstood(error ?? "read needs a non-negative upToSeq");
            return ValueTask.CompletedTask;
        }
        var read = session.Feature<ReadUpTo>();
        if (upToSeq > read.Seq && session.Find<RoomInfo>() is { } room)
        {
            read.Seq = upToSeq.Value;
            unread.Read(room, session.UserId, read.Seq);
        }
        return ValueTask.CompletedTask;
    }
}

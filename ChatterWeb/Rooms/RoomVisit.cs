using ChatterWeb.Data;

namespace ChatterWeb.Rooms;

/// <summary>
/// What the room page needs to know about the room and the viewer before it reads messages: the room,
/// the viewer's membership (null: not a member yet), whether they created it, the room's change
/// counter and newest seq, the viewer's first unread message (null: nothing unread), whether the room is archived, and its pin count.
/// </summary>
public sealed record RoomVisit(RoomInfo Room, (long LastReadSeq, NotifyLevel Notify)? Membership, bool IsCreator, long LastChangeSeq,
    long LastSeq = 0, long? FirstUnreadSeq = null, bool Archived = false)
{
    /// <summary>How many messages are pinned in the room, read in the same statement as <see cref="LastChangeSeq"/>.</summary>
    public int PinCount { get; init; }

    /// <summary>How many of the newest messages reach back to the first unread one (0: nothing unread).</summary>
    public long BackToFirstUnread => FirstUnreadSeq is long first ? LastSeq - first + 1 : 0;
}

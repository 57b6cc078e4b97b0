using ChatterWeb.Data;

namespace ChatterWeb.Rooms;

/// <summary>
/// What the room page needs to know about the room and the viewer before it reads messages: the room,
/// the viewer's membership (null: not a member yet), whether they created it, and the room's change counter.
/// </summary>
public sealed record RoomVisit(RoomInfo Room, (long LastReadSeq, NotifyLevel Notify)? Membership, bool IsCreator, long LastChangeSeq);

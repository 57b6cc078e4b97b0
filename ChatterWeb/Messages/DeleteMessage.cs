using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>
/// Delete a message: its author may, and so may the room's creator (for any message in the room).
/// The row stays as a tombstone (its seq keeps paging and resume whole); its text is wiped, so it is
/// gone from every page, from search and from the database. The caller has already checked that the
/// user may read the room (404 otherwise).
/// </summary>
public sealed record DeleteMessage(RoomInfo Room, long Seq, string UserId)
{
    public const string NotAllowedError = "You can only delete your own messages (a room's creator can delete any in it).";

    /// <summary>Its author may delete a message, and so may the room's creator (the page and the delete ask the same).</summary>
    public static bool May(MessageChanges.Target target, string? userId) => target.AuthorId == userId || target.RoomCreatorId == userId;
}

using ChatterWeb.Data;
using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>
/// Delete a message: its author may; the creator of an open or closed room may delete any in it; in a
/// direct conversation nobody manages the room, so only the author. An administrator may delete any
/// message (moderation: audited, shown as removed by an administrator); <paramref name="ByAdministrator"/>
/// says the caller checked that the user is one, in the database. The row stays as a tombstone (its
/// seq keeps paging and resume whole); its text is wiped, so it is gone from every page, from search
/// and from the database. The caller has already checked that the user may read the room (404 otherwise).
/// </summary>
public sealed record DeleteMessage(RoomInfo Room, long Seq, string UserId, bool ByAdministrator = false)
{
    public const string NotAllowedError = "You can only delete your own messages (a room's creator can delete any in it, except in a direct conversation).";

    /// <summary>Who may delete (the page and the delete ask the same).</summary>
    public static bool May(RoomInfo room, MessageChanges.Target target, string? userId, bool administrator) =>
        target.AuthorId == userId
        || (room.Kind != RoomKind.Direct && target.RoomCreatorId == userId)
        || administrator;

    /// <summary>
    /// The page shows "Delete" on every message (not only the viewer's own): a room's creator outside
    /// direct conversations, and an administrator (from the cookie's role claims, for display only;
    /// the delete itself asks the database).
    /// </summary>
    public static bool SeesDeleteOnEvery(RoomInfo room, bool isCreator, System.Security.Claims.ClaimsPrincipal viewer) =>
        (isCreator && room.Kind != RoomKind.Direct) || Accounts.Administrators.InClaims(viewer);

    /// <summary>The delete is moderation: an administrator's, of someone else's message they could not delete otherwise.</summary>
    public static bool IsModeration(RoomInfo room, MessageChanges.Target target, string userId, bool administrator) =>
        administrator && !May(room, target, userId, administrator: false);
}

using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>
/// Edit your own message: same validation as posting; only its author may edit it, and not once it
/// is deleted. The caller has already checked that the user may read the room (404 otherwise).
/// </summary>
public sealed record EditMessage(RoomInfo Room, long Seq, string UserId, string? Body)
{
    public const string NotYoursError = "You can only edit your own messages.";

    /// <summary>Only its author may edit a message (the edit page and the edit itself ask the same).</summary>
    public static bool May(MessageChanges.Target target, string? userId) => target.AuthorId == userId;
}

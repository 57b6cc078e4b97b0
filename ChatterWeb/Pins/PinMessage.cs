using ChatterWeb.Rooms;

namespace ChatterWeb.Pins;

/// <summary>
/// Pin a message to its room or unpin it: <paramref name="Pinned"/> true pins, false unpins (both
/// idempotent, what the socket frame says), null toggles (the form without JavaScript).
/// </summary>
public sealed record PinMessage(RoomInfo Room, string UserId, long Seq, bool? Pinned = null)
{
    public const string NotAllowedError = "Only the room's managers (its creator and administrators) pin messages here; in a direct conversation anyone in it can.";
    public const string TooFastError = "You are pinning too fast. Wait a moment, then try again.";
}

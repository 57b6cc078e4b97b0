using ChatterWeb.Rooms;

namespace ChatterWeb.Reactions;

/// <summary>
/// A reaction on or off: <paramref name="On"/> true adds, false removes (both idempotent, what the
/// socket frame says), null toggles (the form without JavaScript).
/// </summary>
public sealed record ToggleReaction(RoomInfo Room, string UserId, string UserName, long Seq, string? Emoji, bool? On = null);

namespace ChatterWeb.Delivery;

/// <summary>
/// A finished HTML frame for every socket in a room. <see cref="Seq"/> is the message's seq, or 0
/// for frames that are not messages (presence, typing, edits). The bytes are shared by every socket:
/// never mutate them.
/// </summary>
public readonly record struct RoomFrame(long RoomId, long Seq, ReadOnlyMemory<byte> Html);

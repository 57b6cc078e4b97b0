namespace ChatterWeb.Delivery;

/// <summary>
/// A frame in a room's outbox: for every socket of the room, or (<see cref="Only"/>) for one of
/// them, in the room's order. <see cref="Message"/>: a room-wide message (a seq), which a frame for
/// one socket may follow instead of precede; room state (presence) it may not.
/// </summary>
internal readonly record struct Outgoing(ReadOnlyMemory<byte> Html, SocketConnection? Only = null, bool Message = false);

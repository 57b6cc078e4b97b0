namespace ChatterWeb.Delivery;

/// <summary>A finished HTML frame for every socket of one person, whatever room each is open in.</summary>
/// <param name="OnlyAbout">
/// When not 0: everything in the frame is about this one room (its unread badge), which a socket
/// open in that very room does not show (the badge of the room you are in is hidden; you are reading
/// it), so such sockets are not sent it. In a busy room most badge updates are of this kind. Honoured
/// on every instance (the Redis payload carries it).
/// </param>
public readonly record struct UserFrame(string UserId, ReadOnlyMemory<byte> Html, long OnlyAbout = 0);

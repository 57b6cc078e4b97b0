namespace ChatterWeb.Data;

/// <summary>
/// A message's room-wide mention (<c>@here</c>, <c>@room</c>): stored on the message, because the
/// people it reaches do not fit in <see cref="Message.Mentions"/> as ids once a room is big.
/// </summary>
public enum RoomMention
{
    None = 0,

    /// <summary><c>@here</c>: the people it reached were resolved when it was posted and are in <see cref="Message.Mentions"/>.</summary>
    Here = 1,

    /// <summary><c>@room</c> (or <c>@channel</c>, <c>@everyone</c>): every member of the room, except those who set it to Nothing (<see cref="UnreadRule"/>).</summary>
    Room = 2,
}

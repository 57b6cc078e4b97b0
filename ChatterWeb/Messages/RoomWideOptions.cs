using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Messages;

/// <summary>Bound from <c>Chatter:Mentions</c>: the limits on <c>@here</c> and <c>@room</c> (docs/ADMIN.md).</summary>
public sealed class RoomWideOptions
{
    public const string Section = "Chatter:Mentions";

    /// <summary>Rooms with more members than this refuse <c>@here</c> and <c>@room</c> (0: refused everywhere).</summary>
    [Range(0, 1_000_000)]
    public int RoomWideMaxMembers { get; set; } = 1000;

    /// <summary>A room-wide mention that would notify more people than this is sent only once the sender confirms.</summary>
    [Range(0, 1_000_000)]
    public int ConfirmAbove { get; set; } = 20;

    /// <summary>One room-wide mention per person per room in this time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RoomWideInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>@here</c> reaches, besides those with the room open, the members who posted in it within this time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan HereRecently { get; set; } = TimeSpan.FromMinutes(10);
}

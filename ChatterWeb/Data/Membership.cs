namespace ChatterWeb.Data;

public sealed class Membership
{
    public long RoomId { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public long LastReadSeq { get; set; }

    /// <summary>When this member's browser notifies them of the room's messages (see docs/PEOPLE.md).</summary>
    public NotifyLevel Notify { get; set; }
}

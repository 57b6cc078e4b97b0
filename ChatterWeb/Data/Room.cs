namespace ChatterWeb.Data;

public sealed class Room
{
    public const int SlugMaxLength = 64;
    public const int NameMaxLength = 80;

    public long Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public RoomKind Kind { get; set; }

    /// <summary>The room's message counter: the Seq of its newest message.</summary>
    public long LastSeq { get; set; }

    /// <summary>The room's change counter: bumped by every edit or delete (resume replays changes after a client's last one).</summary>
    public long LastChangeSeq { get; set; }

    public string? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Set while an administrator has archived the room: readable as before, nothing posted, edited or deleted in it.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }
}

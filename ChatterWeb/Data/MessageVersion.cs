using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// A text a message had before an edit replaced it: written in the edit's transaction, shown to
/// whoever may read the room, removed with the message's text when it is deleted.
/// </summary>
public sealed class MessageVersion
{
    public long Id { get; set; }
    public long MessageId { get; set; }

    /// <summary>The text as it was (the Markdown source, like <see cref="Message.Body"/>).</summary>
    public required string Body { get; set; }

    /// <summary>When this text was written: the message's creation, or the edit that brought it.</summary>
    public DateTimeOffset WrittenAt { get; set; }

    /// <summary>When the edit that replaced it was made.</summary>
    public DateTimeOffset ReplacedAt { get; set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<MessageVersion>(v =>
    {
        v.Property(x => x.Body).HasMaxLength(Message.BodyMaxLength).IsRequired();
        // A message's versions, oldest first (ids grow with each edit).
        v.HasIndex(x => new { x.MessageId, x.Id });
        v.HasOne<Message>().WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
    });
}

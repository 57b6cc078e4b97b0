using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// One line of a bot's delivery log: which message was sent to it, how the call ended, how many
/// attempts it took, how long, and the reply it posted. The newest <see cref="KeptPerBot"/> per bot are kept.
/// </summary>
public sealed class BotDelivery
{
    public const int KeptPerBot = 500;
    public const int TriggerMaxLength = 40;
    public const int DetailMaxLength = 300;

    public long Id { get; set; }
    public long BotId { get; set; }
    public long RoomId { get; set; }

    /// <summary>The message that called the bot.</summary>
    public long Seq { get; set; }

    /// <summary><c>mention</c>, or the command (<c>/deploy</c>).</summary>
    public required string Trigger { get; set; }
    public BotDeliveryOutcome Outcome { get; set; }

    /// <summary>The last answer's status code; null when none came (timeout, refused connection, not sent).</summary>
    public int? StatusCode { get; set; }
    public int Attempts { get; set; }
    public int DurationMs { get; set; }

    /// <summary>What went wrong, or what was done with the answer, for the owner to read.</summary>
    public string? Detail { get; set; }

    /// <summary>The seq of the reply posted as the bot.</summary>
    public long? ReplySeq { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<BotDelivery>(d =>
    {
        d.Property(x => x.Trigger).HasMaxLength(TriggerMaxLength).IsRequired();
        d.Property(x => x.Detail).HasMaxLength(DetailMaxLength);
        d.HasIndex(x => new { x.BotId, x.Id });
        d.HasOne<Bot>().WithMany().HasForeignKey(x => x.BotId).OnDelete(DeleteBehavior.Cascade);
        d.HasOne<Room>().WithMany().HasForeignKey(x => x.RoomId).OnDelete(DeleteBehavior.Cascade);
    });
}

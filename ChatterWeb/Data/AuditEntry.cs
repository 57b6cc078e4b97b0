using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// One line of the audit trail: who did what to whom, when and from where. Append-only: nothing in the
/// app updates or deletes a row, and rows have no foreign keys, so they outlive the people they name.
/// </summary>
public sealed class AuditEntry
{
    public const int ActionMaxLength = 40;
    public const int DetailMaxLength = 400;
    public const int NameMaxLength = 256;
    public const int AddressMaxLength = 45;

    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>What happened, one of <c>Accounts.Audit.AuditActions</c>.</summary>
    public required string Action { get; set; }

    /// <summary>Who did it (null: someone not signed in, e.g. a failed sign-in).</summary>
    public string? ActorId { get; set; }

    /// <summary>Whom or what it was done to: an account's id (null when there is none).</summary>
    public string? SubjectId { get; set; }

    /// <summary>The subject as typed or known at the time (an email, a room's name), kept even if the account goes.</summary>
    public string Subject { get; set; } = "";

    public string Detail { get; set; } = "";

    /// <summary>The client's IP address as the app saw it (after trusted forwarded headers).</summary>
    public string Address { get; set; } = "";

    internal static void Configure(ModelBuilder builder) => builder.Entity<AuditEntry>(a =>
    {
        a.Property(x => x.Action).HasMaxLength(ActionMaxLength).IsUnicode(false).IsRequired();
        a.Property(x => x.ActorId).HasMaxLength(450);
        a.Property(x => x.SubjectId).HasMaxLength(450);
        a.Property(x => x.Subject).HasMaxLength(NameMaxLength).IsRequired();
        a.Property(x => x.Detail).HasMaxLength(DetailMaxLength).IsRequired();
        a.Property(x => x.Address).HasMaxLength(AddressMaxLength).IsUnicode(false).IsRequired();
        a.HasIndex(x => x.At);
        a.HasIndex(x => new { x.SubjectId, x.At });
        a.HasIndex(x => new { x.ActorId, x.At });
    });
}

using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// One signed-in browser: the auth cookie carries its <see cref="Id"/>, and the cookie is honoured only
/// while this row exists and has not ended. Ending the row (sign-out, "sign out everywhere", a password
/// change, deactivation, "sign that browser out") kills that cookie on the next request or socket upgrade,
/// wherever it was copied to.
/// </summary>
public sealed class SignInSession
{
    public const int IdLength = 32;
    public const int UserAgentMaxLength = 256;

    /// <summary>Random (128 bits, hex).</summary>
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Updated at most every few minutes (not on every request).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>The browser's User-Agent header when it signed in, cut to <see cref="UserAgentMaxLength"/>.</summary>
    public string UserAgent { get; set; } = "";

    /// <summary>Set when the session was ended; a cookie for an ended session is refused.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<SignInSession>(s =>
    {
        s.HasKey(x => x.Id);
        s.Property(x => x.Id).HasMaxLength(IdLength).IsUnicode(false);
        s.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        s.Property(x => x.UserAgent).HasMaxLength(UserAgentMaxLength).IsRequired();
        s.HasIndex(x => x.UserId);
        s.HasOne<ChatUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    });
}

using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// A bot an administrator made: its own account (<see cref="UserId"/>, a <see cref="ChatUser"/> with
/// <see cref="ChatUser.IsBot"/>, a member of the rooms it serves) and its outgoing webhook: a message
/// in one of its rooms that @mentions it or starts with one of its <see cref="Commands"/> is POSTed to
/// <see cref="Url"/>, signed with the secret. The secret is needed to sign, so it is stored encrypted
/// with the app's data-protection keys (<see cref="ProtectedSecret"/>), never in the clear.
/// </summary>
public sealed class Bot
{
    public const int UrlMaxLength = 2048;
    public const int ProtectedSecretMaxLength = 1024;
    public const int CommandsMaxLength = 400;

    public long Id { get; set; }

    /// <summary>The bot's account: the author of its replies, and the member of its rooms.</summary>
    public required string UserId { get; set; }

    /// <summary>Where its messages go: an absolute http(s) URL whose host is on <c>Chatter:Integrations:AllowedHosts</c>.</summary>
    public required string Url { get; set; }

    /// <summary>The signing secret, encrypted by ASP.NET Core data protection.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>Its slash commands without the slash, space-separated (<c>deploy status</c>); empty: mentions only.</summary>
    public string Commands { get; set; } = "";

    /// <summary>The administrator who made it: its owner, who reads its delivery log.</summary>
    public string? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<Bot>(b =>
    {
        b.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        b.Property(x => x.Url).HasMaxLength(UrlMaxLength).IsRequired();
        b.Property(x => x.ProtectedSecret).HasMaxLength(ProtectedSecretMaxLength).IsUnicode(false).IsRequired();
        b.Property(x => x.Commands).HasMaxLength(CommandsMaxLength).IsUnicode(false).IsRequired();
        b.Property(x => x.CreatedById).HasMaxLength(450);
        b.HasIndex(x => x.UserId).IsUnique();
        b.HasOne<ChatUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    });
}

using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// An incoming webhook: <c>POST /hooks/{token}</c> posts to its room as its own bot account
/// (<see cref="UserId"/>, a <see cref="ChatUser"/> with <see cref="ChatUser.IsBot"/>, named like the hook).
/// Only the token's SHA-256 is stored; the token itself is shown once.
/// </summary>
public sealed class IncomingWebhook
{
    public const int NameMaxLength = ChatUser.DisplayNameMaxLength;
    public const int TokenHashLength = 64;

    public long Id { get; set; }
    public long RoomId { get; set; }

    /// <summary>The hook's own account: the author of what it posts (kept when the hook is deleted, so its messages keep their author).</summary>
    public required string UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token (the token is 256 random bits, so a fast hash is enough).</summary>
    public required string TokenHash { get; set; }
    public string? CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<IncomingWebhook>(h =>
    {
        h.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        h.Property(x => x.Name).HasMaxLength(NameMaxLength).IsRequired();
        h.Property(x => x.TokenHash).HasMaxLength(TokenHashLength).IsUnicode(false).IsRequired();
        h.Property(x => x.CreatedById).HasMaxLength(450);
        h.HasIndex(x => x.TokenHash).IsUnique();
        h.HasIndex(x => x.RoomId);
        h.HasOne<Room>().WithMany().HasForeignKey(x => x.RoomId).OnDelete(DeleteBehavior.Cascade);
        h.HasOne<ChatUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    });
}

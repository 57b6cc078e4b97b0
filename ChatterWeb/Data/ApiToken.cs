using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>
/// A personal API token (or a bot's): <c>Authorization: Bearer …</c> on <c>/api/v1</c> acts as
/// <see cref="UserId"/> within <see cref="Scopes"/>. Only the token's SHA-256 is stored; revoking
/// deletes the row.
/// </summary>
public sealed class ApiToken
{
    public const int NameMaxLength = 64;
    public const int ScopesMaxLength = 32;

    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>Space-separated: <c>read</c>, <c>post</c>.</summary>
    public required string Scopes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>After this instant the token is refused; null: until revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<ApiToken>(t =>
    {
        t.Property(x => x.UserId).HasMaxLength(450).IsRequired();
        t.Property(x => x.Name).HasMaxLength(NameMaxLength).IsRequired();
        t.Property(x => x.TokenHash).HasMaxLength(IncomingWebhook.TokenHashLength).IsUnicode(false).IsRequired();
        t.Property(x => x.Scopes).HasMaxLength(ScopesMaxLength).IsUnicode(false).IsRequired();
        t.HasIndex(x => x.TokenHash).IsUnique();
        t.HasIndex(x => x.UserId);
        t.HasOne<ChatUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    });
}

using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data;

/// <summary>A file posted with a message (one per message). The bytes live in the attachment store.</summary>
public sealed class Attachment
{
    public const int IdLength = 32;
    public const int FileNameMaxLength = 255;
    public const int ContentTypeMaxLength = 100;

    /// <summary>Random (128 bits, hex): the file's address, unguessable but not a secret (access is checked).</summary>
    public required string Id { get; set; }
    public long RoomId { get; set; }
    public long MessageId { get; set; }
    public required string UploaderId { get; set; }

    /// <summary>The name the uploader gave it, cleaned; shown and offered on download, never used as a path.</summary>
    public required string FileName { get; set; }

    /// <summary>Decided from the content, never from the name or the browser's claim.</summary>
    public required string ContentType { get; set; }
    public long Length { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }

    /// <summary>The store's key: random, unrelated to <see cref="Id"/> and to the file name.</summary>
    public required string StorageKey { get; set; }

    /// <summary>The store's key of the still thumbnail (WebP) an image is shown by; null for other files.</summary>
    public string? ThumbnailKey { get; set; }

    /// <summary>An animation (GIF, WebP): shown as its still thumbnail with a play control.</summary>
    public bool Animated { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    internal static void Configure(ModelBuilder builder) => builder.Entity<Attachment>(a =>
    {
        a.HasKey(x => x.Id);
        a.Property(x => x.Id).HasMaxLength(IdLength).IsUnicode(false);
        a.Property(x => x.UploaderId).HasMaxLength(450).IsRequired();
        a.Property(x => x.FileName).HasMaxLength(FileNameMaxLength).IsRequired();
        a.Property(x => x.ContentType).HasMaxLength(ContentTypeMaxLength).IsUnicode(false).IsRequired();
        a.Property(x => x.StorageKey).HasMaxLength(IdLength).IsUnicode(false).IsRequired();
        a.Property(x => x.ThumbnailKey).HasMaxLength(IdLength).IsUnicode(false);
        // The sweep asks which of the store's keys a row still holds.
        a.HasIndex(x => x.StorageKey);
        a.HasIndex(x => x.ThumbnailKey);
        a.HasIndex(x => x.MessageId).IsUnique();
        a.HasIndex(x => x.RoomId);
        a.HasOne<Message>().WithOne(m => m.Attachment).HasForeignKey<Attachment>(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        // No cascade from the room: it already reaches attachments through messages (SQL Server allows one path).
        a.HasOne<Room>().WithMany().HasForeignKey(x => x.RoomId).OnDelete(DeleteBehavior.NoAction);
        a.HasOne<ChatUser>().WithMany().HasForeignKey(x => x.UploaderId).OnDelete(DeleteBehavior.Restrict);
    });
}

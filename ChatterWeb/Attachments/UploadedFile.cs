using System.Security.Cryptography;
using ChatterWeb.Data;

namespace ChatterWeb.Attachments;

/// <summary>A file already in the store, waiting to be attached to the message that carries it.</summary>
public sealed record UploadedFile(string FileName, FileType Type, long Length, string StorageKey, string? ThumbnailKey = null, bool Animated = false)
{
    public Attachment ToEntity(long roomId, string uploaderId, DateTimeOffset now) => new()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Attachment.IdLength / 2)),
        RoomId = roomId,
        UploaderId = uploaderId,
        FileName = FileName,
        ContentType = Type.ContentType,
        Length = Length,
        Width = Type.Width,
        Height = Type.Height,
        StorageKey = StorageKey,
        ThumbnailKey = ThumbnailKey,
        Animated = Animated,
        CreatedAt = now,
    };

    public static AttachmentView View(Attachment a) => new(a.Id, a.FileName, a.ContentType, a.Length, a.Width, a.Height, a.ThumbnailKey != null, a.Animated);
}

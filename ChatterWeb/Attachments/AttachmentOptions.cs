using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Attachments;

/// <summary>Bound from <c>Chatter:Attachments</c>.</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Chatter:Attachments";

    /// <summary>Largest file one upload may carry; a bigger upload gets 413 before it is stored.</summary>
    [Range(1024L, 1024L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Uploads one person may make per minute (across their tabs, per instance); then 429.</summary>
    [Range(1, 100_000)]
    public int UploadsPerMinute { get; set; } = 30;

    /// <summary>
    /// Folder of the files (relative: under the content root, beside the default SQLite file). Several
    /// instances must share it (a shared volume), as they share the database.
    /// </summary>
    [Required]
    public string StoragePath { get; set; } = "data/attachments";

    /// <summary>
    /// Largest image (width × height) that is accepted: decoding holds it in memory at 4 bytes a pixel.
    /// A bigger one is refused with 400.
    /// </summary>
    [Range(1_000_000L, 500_000_000L)]
    public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>
    /// Minutes between sweeps of the store (files of deleted messages, files no message holds); 0: never
    /// (another instance sharing the folder sweeps it).
    /// </summary>
    [Range(0, 7 * 24 * 60)]
    public int SweepMinutes { get; set; } = 60;
}

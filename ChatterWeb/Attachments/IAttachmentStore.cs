namespace ChatterWeb.Attachments;

/// <summary>
/// Where uploaded bytes live, by an opaque random key (never the user's file name). Local disk by
/// default; another store (object storage) only has to implement these calls.
/// </summary>
public interface IAttachmentStore
{
    /// <summary>Stores <paramref name="content"/> under a new random key and returns the key.</summary>
    Task<string> SaveAsync(Stream content, CancellationToken ct = default);

    /// <summary>The stored bytes, or null when nothing is stored under <paramref name="key"/>.</summary>
    Stream? OpenRead(string key);

    /// <summary>Removes the bytes under <paramref name="key"/>; nothing stored there is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Every key stored, for the sweep (<see cref="AttachmentSweeper"/>). Writes that never finished
    /// (a crash mid-upload) and are older than <paramref name="unfinishedBefore"/> are removed on the way.
    /// </summary>
    IEnumerable<StoredKey> List(DateTimeOffset unfinishedBefore);
}

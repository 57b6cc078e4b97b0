using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Attachments;

/// <summary>
/// Removes from the store what no message shows any more: the files of deleted messages (their rows
/// too), and files no row holds (an upload whose message was refused or never committed because the
/// process stopped between storing the bytes and the commit). Files younger than <see cref="Grace"/>
/// are left alone: they may belong to an upload being committed now, on any instance. Safe to run on
/// several instances at once (each deletion is idempotent).
/// </summary>
public sealed partial class AttachmentSweeper(ChatterDbContext db, IAttachmentStore store, TimeProvider time, ILogger<AttachmentSweeper> logger)
{
    /// <summary>How old a file no row holds must be before it is removed.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private const int Batch = 500;

    public sealed record Result(int DeletedMessageFiles, int OrphanedFiles);

    public async Task<Result> SweepOnceAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();

        // Rows of messages deleted before their files could be removed (or before this sweep existed).
        var ofDeleted = 0;
        while (true)
        {
            var rows = await db.Attachments.AsNoTracking()
                .Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.DeletedAt != null))
                .Select(a => new { a.Id, a.StorageKey, a.ThumbnailKey })
                .Take(Batch).ToListAsync(ct);
            if (rows.Count == 0)
                break;
            var ids = rows.Select(r => r.Id).ToList();
            await db.Attachments.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
            foreach (var r in rows)
            {
                await store.DeleteAsync(r.StorageKey, ct);
                if (r.ThumbnailKey is { } thumbnail)
                    await store.DeleteAsync(thumbnail, ct);
            }
            ofDeleted += rows.Count;
        }

        // Files no row holds.
        var orphaned = 0;
        var cutoff = now - Grace;
        foreach (var chunk in store.List(cutoff).Where(k => k.WrittenAt < cutoff).Chunk(Batch))
        {
            var keys = chunk.Select(k => k.Key).ToList();
            var held = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in await db.Attachments.AsNoTracking()
                         .Where(a => keys.Contains(a.StorageKey) || (a.ThumbnailKey != null && keys.Contains(a.ThumbnailKey)))
                         .Select(a => new { a.StorageKey, a.ThumbnailKey }).ToListAsync(ct))
            {
                held.Add(row.StorageKey);
                if (row.ThumbnailKey is { } thumbnail)
                    held.Add(thumbnail);
            }
            foreach (var key in keys.Where(k => !held.Contains(k)))
            {
                await store.DeleteAsync(key, ct);
                orphaned++;
            }
        }

        if (ofDeleted > 0 || orphaned > 0)
            LogSwept(ofDeleted, orphaned);
        return new Result(ofDeleted, orphaned);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment sweep: removed {DeletedMessageFiles} files of deleted messages and {OrphanedFiles} files no message held")]
    private partial void LogSwept(int deletedMessageFiles, int orphanedFiles);
}

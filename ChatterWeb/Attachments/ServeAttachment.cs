using ChatterWeb.Infrastructure;
using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ChatterWeb.Attachments;

/// <summary>
/// <c>GET /attachments/{id}</c>: the file, to people who can read its room, while its message is not
/// deleted; 404 to everyone else (as for a room they cannot read). The type is the one decided from
/// the content at upload; images are shown inline, everything else is a download; the response may
/// run nothing (<c>sandbox</c>) and is never sniffed.
/// </summary>
public static partial class ServeAttachment
{
    public const string ContentSecurityPolicy = "default-src 'none'; img-src 'self'; sandbox; frame-ancestors 'none'";

    public static Task<IResult> HandleAsync(string id, HttpContext http, ChatterDbContext db, RoomDirectory rooms, IAttachmentStore store, ILoggerFactory loggers) =>
        ServeAsync(id, thumbnail: false, http, db, rooms, store, loggers);

    /// <summary><c>GET /attachments/{id}/thumbnail</c>: an image's still thumbnail, to the same people; 404 for a file without one.</summary>
    public static Task<IResult> ThumbnailAsync(string id, HttpContext http, ChatterDbContext db, RoomDirectory rooms, IAttachmentStore store, ILoggerFactory loggers) =>
        ServeAsync(id, thumbnail: true, http, db, rooms, store, loggers);

    private static async Task<IResult> ServeAsync(string id, bool thumbnail, HttpContext http, ChatterDbContext db, RoomDirectory rooms, IAttachmentStore store, ILoggerFactory loggers)
    {
        var ct = http.RequestAborted;
        if (id.Length != Attachment.IdLength || !id.All(char.IsAsciiHexDigitLower))
            return Results.NotFound();
        var found = await (
                from a in db.Attachments.AsNoTracking()
                join m in db.Messages on a.MessageId equals m.Id
                join r in db.Rooms on a.RoomId equals r.Id
                where a.Id == id
                select new { a.StorageKey, a.ThumbnailKey, a.FileName, a.ContentType, a.CreatedAt, RoomId = r.Id, r.Kind, m.DeletedAt })
            .SingleOrDefaultAsync(ct);
        if (found is null || found.DeletedAt is not null || (thumbnail && found.ThumbnailKey is null))
            return Results.NotFound();
        if (found.Kind != RoomKind.Open && !await rooms.IsMemberAsync(found.RoomId, http.User.UserId()!, ct))
            return Results.NotFound();

        var key = thumbnail ? found.ThumbnailKey! : found.StorageKey;
        var content = store.OpenRead(key);
        if (content is null)
        {
            LogMissing(loggers.CreateLogger(typeof(ServeAttachment).FullName!), id, key);
            return Results.NotFound();
        }

        var contentType = thumbnail ? ImageProcessor.ThumbnailContentType : found.ContentType;
        var isImage = contentType.StartsWith("image/", StringComparison.Ordinal);
        var disposition = new ContentDispositionHeaderValue(isImage ? "inline" : "attachment");
        disposition.SetHttpFileName(thumbnail ? Path.GetFileNameWithoutExtension(found.FileName) + ".webp" : found.FileName);
        var h = http.Response.Headers;
        h.ContentDisposition = disposition.ToString();
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        // The bytes under an id never change, but who may read them can: revalidate every time (a 304 is cheap).
        h.CacheControl = "private, no-cache";
        return Results.Stream(content, contentType, lastModified: found.CreatedAt,
            entityTag: new EntityTagHeaderValue("\"" + id + (thumbnail ? "-t" : "") + "\""), enableRangeProcessing: true);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Attachment {Id} is in the database but its file {StorageKey} is not in the store")]
    private static partial void LogMissing(ILogger logger, string id, string storageKey);
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// <c>POST /rooms/{slug}/attachments</c> (multipart: <c>file</c>, optional caption <c>body</c>,
/// <c>clientMessageId</c>, antiforgery token): checks size and type, re-encodes an image (<see cref="ImageProcessor"/>), stores the bytes, and posts the
/// message through <see cref="PostMessageHandler"/> (same Seq, idempotency, broadcast and ack as text).
/// The page's script sends <c>X-Requested-With: XMLHttpRequest</c> and gets plain text errors; a
/// plain form (no JavaScript) is redirected to the message, or gets a short page saying what failed.
/// </summary>
public static partial class UploadAttachment
{
    /// <summary>Room for the form's other fields and the multipart framing around the file.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    public static string TooLargeError(long maxBytes) => $"That file is too large: the limit is {AttachmentMarkup.HumanSize(maxBytes)}.";
    public const string NoFileError = "Choose a file to upload.";
    public const string EmptyFileError = "That file is empty.";
    public const string NotMultipartError = "Send the file as multipart/form-data.";
    public const string AntiforgeryError = "The upload could not be checked (the page is out of date). Reload the page and try again.";

    public static async Task<IResult> HandleAsync(
        string slug,
        HttpContext http,
        RoomDirectory rooms,
        PostMessageHandler post,
        IAttachmentStore store,
        ImageProcessor images,
        UploadBudget budget,
        IAntiforgery antiforgery,
        IOptions<AttachmentOptions> options,
        ILoggerFactory loggers)
    {
        var ct = http.RequestAborted;
        var maxBytes = options.Value.MaxBytes;
        var room = await rooms.FindReadableAsync(slug, http.User.UserId()!, ct);
        if (room is null)
            return Results.NotFound();

        if (!budget.TryTake(http.User.UserId()!))
            return Refuse(http, room, StatusCodes.Status429TooManyRequests, UploadBudget.TooManyError);

        // Refuse what is plainly too big before reading a byte of it; cap what arrives chunked.
        var requestLimit = maxBytes + FormOverheadBytes;
        if (http.Request.ContentLength > requestLimit)
            return Refuse(http, room, StatusCodes.Status413PayloadTooLarge, TooLargeError(maxBytes));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = requestLimit;
        if (!http.Request.HasFormContentType || !http.Request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return Refuse(http, room, StatusCodes.Status415UnsupportedMediaType, NotMultipartError);
        http.Features.Set<IFormFeature>(new FormFeature(http.Request, new FormOptions
        {
            MultipartBodyLengthLimit = requestLimit,
            ValueCountLimit = 16,
            ValueLengthLimit = 32 * 1024,
        }));

        IFormCollection form;
        try
        {
            // Read first (the file is buffered to a temp file, within the limits above), so a size
            // error is reported as one rather than as the antiforgery check's failure to read the form.
            form = await http.Request.ReadFormAsync(ct);
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Refuse(http, room, StatusCodes.Status400BadRequest, AntiforgeryError);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(http, room, StatusCodes.Status413PayloadTooLarge, TooLargeError(maxBytes));
        }
        catch (InvalidDataException e)
        {
            // Multipart limits (a section over the length limit, too many fields) or a malformed body.
            return e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)
                ? Refuse(http, room, StatusCodes.Status413PayloadTooLarge, TooLargeError(maxBytes))
                : Refuse(http, room, StatusCodes.Status400BadRequest, NotMultipartError);
        }

        var file = form.Files.GetFile("file");
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
            return Refuse(http, room, StatusCodes.Status400BadRequest, NoFileError);
        if (file.Length == 0)
            return Refuse(http, room, StatusCodes.Status400BadRequest, EmptyFileError);
        if (file.Length > maxBytes)
            return Refuse(http, room, StatusCodes.Status413PayloadTooLarge, TooLargeError(maxBytes));

        FileType type;
        await using (var head = file.OpenReadStream())
        {
            var buffer = new byte[(int)Math.Min(FileType.SniffLength, file.Length)];
            await head.ReadExactlyAsync(buffer, ct);
            type = FileType.Detect(buffer, file.Length);
        }

        // An image is stored as Skia re-encodes it (no metadata, upright) with a thumbnail; a file it
        // cannot decode is refused rather than stored as an image no browser can show.
        ImageResult.Processed? image = null;
        if (type.IsImage)
        {
            var bytes = new byte[file.Length];
            await using (var content = file.OpenReadStream())
                await content.ReadExactlyAsync(bytes, ct);
            var processed = await images.ProcessAsync(bytes, type, ct);
            if (processed is ImageResult.Refused refused)
                return Refuse(http, room, StatusCodes.Status400BadRequest, refused.Error);
            image = (ImageResult.Processed)processed;
            type = new FileType(image.ContentType, true, image.Width, image.Height);
        }

        string key;
        string? thumbnailKey = null;
        long length;
        if (image is not null)
        {
            key = await store.SaveAsync(new MemoryStream(image.Content, writable: false), ct);
            try
            {
                thumbnailKey = await store.SaveAsync(new MemoryStream(image.Thumbnail, writable: false), ct);
            }
            catch
            {
                await store.DeleteAsync(key, CancellationToken.None);
                throw;
            }
            length = image.Content.Length;
        }
        else
        {
            await using (var content = file.OpenReadStream())
                key = await store.SaveAsync(content, ct);
            length = file.Length;
        }

        var userId = http.User.UserId()!;
        var uploaded = new UploadedFile(CleanFileName(file.FileName), type, length, key, thumbnailKey, image?.Animated ?? false);
        PostMessageResult result;
        try
        {
            result = await post.HandleAsync(new PostMessage(room, userId, http.User.DisplayName(), form["body"], form["clientMessageId"], uploaded), ct);
        }
        catch
        {
            await DeleteFilesAsync(store, uploaded);
            throw;
        }
        if (result is not PostMessageResult.Stored { Duplicate: false })
            await DeleteFilesAsync(store, uploaded); // refused, or a retry of an upload already stored
        if (result is PostMessageResult.Rejected rejected)
            return Refuse(http, room, rejected switch { PostMessageResult.TooFast => StatusCodes.Status429TooManyRequests, PostMessageResult.Archived => StatusCodes.Status409Conflict, _ => StatusCodes.Status400BadRequest }, rejected.Error);

        var stored = (PostMessageResult.Stored)result;
        LogUploaded(loggers.CreateLogger(typeof(UploadAttachment).FullName!), room.Id, stored.Message.Seq, type.ContentType, file.Length, length);
        return IsScript(http)
            ? Results.Text("Sent.", "text/plain; charset=utf-8")
            : Results.Redirect($"/rooms/{room.Slug}#m-{stored.Message.Seq.ToString(CultureInfo.InvariantCulture)}");
    }

    private static async Task DeleteFilesAsync(IAttachmentStore store, UploadedFile file)
    {
        await store.DeleteAsync(file.StorageKey, CancellationToken.None);
        if (file.ThumbnailKey is { } thumbnail)
            await store.DeleteAsync(thumbnail, CancellationToken.None);
    }

    private static bool IsScript(HttpContext http) => http.Request.Headers.XRequestedWith == "XMLHttpRequest";

    /// <summary>The page's script gets the sentence to show under the composer; a plain form gets a small page.</summary>
    private static IResult Refuse(HttpContext http, RoomInfo room, int status, string error)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (IsScript(http))
            return Results.Text(error, "text/plain; charset=utf-8", statusCode: status);
        var e = HtmlEncoder.Default;
        var page = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Upload refused · ChatterWeb</title><link rel="stylesheet" href="/css/site.css"></head>
            <body><main id="main" class="history"><h1>The file was not sent</h1><p class="composer-status error" role="alert">{e.Encode(error)}</p>
            <p><a href="/rooms/{room.Slug}">Back to #{e.Encode(room.Name)}</a></p></main></body></html>
            """;
        return Results.Text(page, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>
    /// The last path segment of what the browser sent, without control or format characters (a
    /// right-to-left override could make "gpj.exe" read as "exe.jpg"), at most 255 characters.
    /// </summary>
    public static string CleanFileName(string? raw)
    {
        var name = raw ?? "";
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0)
            name = name[(slash + 1)..];
        var sb = new StringBuilder(name.Length);
        foreach (var rune in name.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse)
                continue;
            sb.Append(rune.ToString());
        }
        name = sb.ToString().Trim();
        if (name.Length > Attachment.FileNameMaxLength)
        {
            var cut = Attachment.FileNameMaxLength;
            if (char.IsLowSurrogate(name[cut]))
                cut--;
            name = name[..cut];
        }
        return name.Length == 0 ? "file" : name;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Attachment for message {Seq} in room {RoomId}: {ContentType}, {Length} bytes uploaded, {StoredLength} stored")]
    private static partial void LogUploaded(ILogger logger, long roomId, long seq, string contentType, long length, long storedLength);
}

using System.Net.Http.Headers;
using System.Net;
using System.Text.RegularExpressions;
using System.Text;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Attachments;

/// <summary>The app with a small upload limit, so "too large" is cheap to send.</summary>
public class SmallUploadServer : ChatterServer
{
    public SmallUploadServer() : this(null)
    {
    }

    protected SmallUploadServer(TestDatabase? database) : base(database)
    {
    }

    /// <summary>The same on a fresh PostgreSQL database.</summary>
    public sealed class OnPostgreSql() : SmallUploadServer(TestDatabase.PostgreSql());

    public const long MaxBytes = 64 * 1024;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Chatter:Attachments:MaxBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))];
}

/// <summary>
/// Uploading (multipart POST, antiforgery, size limit, type from the content, one message through the
/// same PostMessage path) and serving (only to readers of the room, with safe headers).
/// </summary>
public abstract class AttachmentTests(SmallUploadServer server)
{
    private static async Task<string> TokenAsync(TestUser user, string slug) =>
        ChatterServer.AntiforgeryToken(await user.Http.GetStringAsync($"/rooms/{slug}"));

    private static MultipartFormDataContent Form(string? token, byte[] bytes, string fileName, string? caption = null, string? clientMessageId = null, string claimedType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        if (token is not null)
            form.Add(new StringContent(token), "__RequestVerificationToken");
        form.Add(new StringContent(clientMessageId ?? Guid.NewGuid().ToString()), "clientMessageId");
        if (caption is not null)
            form.Add(new StringContent(caption), "body");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(claimedType);
        form.Add(file, "file", fileName);
        return form;
    }

    private static async Task<HttpResponseMessage> UploadAsync(TestUser user, string slug, HttpContent content, bool script = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/rooms/{slug}/attachments") { Content = content };
        if (script)
            request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return await user.Http.SendAsync(request);
    }

    private async Task<HttpResponseMessage> UploadAsync(TestUser user, string slug, byte[] bytes, string fileName, string? caption = null, string? clientMessageId = null, string claimedType = "application/octet-stream", bool script = true) =>
        await UploadAsync(user, slug, Form(await TokenAsync(user, slug), bytes, fileName, caption, clientMessageId, claimedType), script);

    private async Task<string> NewRoomAsync(TestUser owner, bool membersOnly = false)
    {
        var fields = new Dictionary<string, string> { ["name"] = "Files " + Guid.NewGuid().ToString("N")[..6] };
        if (membersOnly)
            fields["membersOnly"] = "true";
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    private Task<List<Attachment>> AttachmentsInAsync(string slug) =>
        server.WithDbAsync(db => db.Attachments.AsNoTracking().Where(a => db.Rooms.Any(r => r.Id == a.RoomId && r.Slug == slug)).ToListAsync());

    private string[] StoredFiles() =>
        Directory.Exists(server.AttachmentsPath) ? Directory.GetFiles(server.AttachmentsPath, "*", SearchOption.AllDirectories) : [];

    private static string AttachmentUrl(string html)
    {
        var m = Regex.Match(html, "(?:src|href)=\"(/attachments/[0-9a-f]{32})\"");
        Assert.True(m.Success, "no attachment link in: " + html);
        return m.Groups[1].Value;
    }

    [Fact]
    public async Task An_image_becomes_a_message_pushed_to_the_room_and_is_served_inline_with_safe_headers()
    {
        var ada = await server.SignUpAsync("Ada");
        var grace = await server.SignUpAsync("Grace");
        var slug = await NewRoomAsync(ada);
        await using var watcher = await grace.JoinAsync(slug);
        var png = TestImages.Png(1200, 900);

        var response = await UploadAsync(ada, slug, png, "holiday <img src=x onerror=alert(1)> 🌴.png", caption: "the view", claimedType: "text/html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // One message, through the usual path: next seq, pushed to the room with the image inline.
        var frame = await watcher.WaitForAsync(f => f.Contains("class=\"attachment image\""));
        Assert.Contains("id=\"m-1\"", frame);
        Assert.Contains(">the view</p></div>", frame);
        Assert.Contains($"alt=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode("holiday <img src=x onerror=alert(1)> 🌴.png")}\"", frame);
        Assert.DoesNotContain("<img src=x", frame);
        Assert.Contains("width=\"360\" height=\"270\"", frame); // 1200x900 scaled into 360x320
        Assert.Contains("loading=\"lazy\"", frame);
        var url = AttachmentUrl(frame);

        var stored = Assert.Single(await AttachmentsInAsync(slug));
        Assert.Equal(("image/png", 1200, 900), (stored.ContentType, stored.Width!.Value, stored.Height!.Value));
        Assert.Equal(ada.Id, stored.UploaderId);
        Assert.Equal(1, await server.WithDbAsync(db => db.Messages.Where(m => m.Id == stored.MessageId).Select(m => m.Seq).SingleAsync()));
        // On disk under a random key: no trace of the user's file name in any path.
        var file = Path.Combine(server.AttachmentsPath, stored.StorageKey[..2], stored.StorageKey);
        Assert.Contains(file, StoredFiles());
        Assert.DoesNotContain(StoredFiles(), f => f.Contains("holiday", StringComparison.Ordinal));
        Assert.DoesNotContain(stored.Id, stored.StorageKey); // the public id does not name the file on disk
        var bytes = await File.ReadAllBytesAsync(file); // re-encoded (ImageProcessorTests): the same pixels
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal((1200, 900), TestImages.Size(bytes));

        var get = await grace.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("image/png", get.Content.Headers.ContentType!.ToString()); // from the bytes, not the claimed text/html
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", get.Headers.GetValues("X-Content-Type-Options").Single());
        var disposition = get.Content.Headers.ContentDisposition!;
        Assert.Equal("inline", disposition.DispositionType);
        Assert.Equal("holiday <img src=x onerror=alert(1)> 🌴.png", disposition.FileNameStar);
        var csp = get.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("sandbox", csp);
        Assert.DoesNotContain("script-src 'self'", csp); // the page policy did not replace the file's own
        Assert.Equal("same-origin", get.Headers.GetValues("Cross-Origin-Resource-Policy").Single());
        Assert.Contains("private", get.Headers.CacheControl!.ToString());

        // The room page (first load) renders the same markup.
        Assert.Contains($"<img src=\"{url}/thumbnail\"", await grace.Http.GetStringAsync($"/rooms/{slug}"));
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task A_png_name_with_html_inside_is_a_download_of_opaque_bytes_never_an_image_or_a_page()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        await using var socket = await ada.JoinAsync(slug);

        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, Samples.Html(), "cute-cat.png", claimedType: "image/png")).StatusCode);
        var frame = await socket.WaitForAsync(f => f.Contains("class=\"attachment"));
        Assert.DoesNotContain("<img", frame);
        Assert.Contains("class=\"attachment file\"", frame);
        Assert.Contains("<span class=\"file-name\">cute-cat.png</span> <span class=\"file-size\">", frame);

        var get = await ada.Http.GetAsync(AttachmentUrl(frame));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", get.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", get.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", get.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("application/octet-stream", Assert.Single(await AttachmentsInAsync(slug)).ContentType);
    }

    [Theory]
    [InlineData("drawing.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>", "application/octet-stream", "attachment")]
    [InlineData("notes.txt", "Agenda:\n1. ship\n2. rest\n", "text/plain; charset=utf-8", "attachment")]
    [InlineData("report.pdf", "%PDF-1.4\n%%EOF\n", "application/pdf", "attachment")]
    public async Task Other_files_are_served_as_downloads_with_the_type_their_content_shows(string name, string content, string expectedType, string expectedDisposition)
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        await using var socket = await ada.JoinAsync(slug);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, Encoding.UTF8.GetBytes(content), name)).StatusCode);
        var frame = await socket.WaitForAsync(f => f.Contains("class=\"attachment file\""));
        Assert.Contains($">{name}</span>", frame);
        Assert.Contains($"{content.Length} bytes</span>", frame);

        var get = await ada.Http.GetAsync(AttachmentUrl(frame));
        Assert.Equal(expectedType, get.Content.Headers.ContentType!.ToString());
        Assert.Equal(expectedDisposition, get.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(name, get.Content.Headers.ContentDisposition.FileNameStar);
    }

    [Fact]
    public async Task An_oversized_upload_gets_413_before_anything_is_stored_whether_or_not_its_length_is_announced()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        var before = StoredFiles().Length;
        var big = new byte[SmallUploadServer.MaxBytes + 1];
        var token = await TokenAsync(ada, slug);
        var limitText = "That file is too large: the limit is 64 KB.";

        // Content-Length announced: refused from the headers.
        var announced = await UploadAsync(ada, slug, Form(token, big, "big.png"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, announced.StatusCode);
        Assert.Equal(limitText, await announced.Content.ReadAsStringAsync());

        // Chunked, far over the limit: the body read stops at the limit.
        var chunked = await UploadAsync(ada, slug, new Chunked(Form(token, new byte[SmallUploadServer.MaxBytes * 4], "huge.bin")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(limitText, await chunked.Content.ReadAsStringAsync());

        // Chunked, the file just over the limit but the whole request under the form allowance.
        var justOver = await UploadAsync(ada, slug, new Chunked(Form(token, big, "big.png")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, justOver.StatusCode);

        // Without JavaScript: the same status, with a page that says why and leads back.
        var plain = await UploadAsync(ada, slug, Form(token, big, "big.png"), script: false);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, plain.StatusCode);
        var page = await plain.Content.ReadAsStringAsync();
        Assert.Contains(limitText, page);
        Assert.Contains($"href=\"/rooms/{slug}\"", page);

        // Exactly at the limit is fine.
        var atLimit = new byte[SmallUploadServer.MaxBytes];
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, Form(token, atLimit, "ok.png"))).StatusCode);

        Assert.Single(await AttachmentsInAsync(slug));
        Assert.Equal(before + 1, StoredFiles().Length);
        Assert.Equal(1, await server.WithDbAsync(db => db.Messages.CountAsync(m => db.Rooms.Any(r => r.Id == m.RoomId && r.Slug == slug))));
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task An_upload_without_a_valid_antiforgery_token_is_refused_and_stores_nothing()
    {
        var ada = await server.SignUpAsync();
        var mallory = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        var before = StoredFiles().Length;

        var none = await UploadAsync(ada, slug, Form(null, TestImages.Png(40, 30), "a.png"));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Equal(UploadAttachment.AntiforgeryError, await none.Content.ReadAsStringAsync());
        // Someone else's token (a cross-site page cannot read Ada's) does not do either.
        var someoneElses = await UploadAsync(ada, slug, Form(await TokenAsync(mallory, "general"), TestImages.Png(40, 30), "a.png"));
        Assert.Equal(HttpStatusCode.BadRequest, someoneElses.StatusCode);
        // Not multipart at all.
        var urlEncoded = await UploadAsync(ada, slug, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await TokenAsync(ada, slug), ["file"] = "x" }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, urlEncoded.StatusCode);
        // A form with no file in it.
        using var noFile = new MultipartFormDataContent { { new StringContent(await TokenAsync(ada, slug)), "__RequestVerificationToken" } };
        var missing = await UploadAsync(ada, slug, noFile);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(UploadAttachment.NoFileError, await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await UploadAsync(ada, slug, [], "empty.txt")).StatusCode);

        Assert.Empty(await AttachmentsInAsync(slug));
        Assert.Equal(before, StoredFiles().Length);
    }

    [Fact]
    public async Task A_non_member_of_a_closed_room_gets_404_for_its_files_and_cannot_upload_into_it()
    {
        var owner = await server.SignUpAsync();
        var outsider = await server.SignUpAsync();
        var slug = await NewRoomAsync(owner, membersOnly: true);
        await using var socket = await owner.JoinAsync(slug);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(owner, slug, TestImages.Png(40, 30), "plan.png")).StatusCode);
        var url = AttachmentUrl(await socket.WaitForAsync(f => f.Contains("attachment image")));
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync(url)).StatusCode);

        var asOutsider = await outsider.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, asOutsider.StatusCode);
        Assert.DoesNotContain("PNG", await asOutsider.Content.ReadAsStringAsync());
        // Signed out: sent to sign in, never the file.
        var anonymous = await server.NewBrowser().GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/Account/Login", anonymous.Headers.Location!.ToString());
        // An id that was never issued, or is not an id at all, looks the same as a forbidden one.
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync("/attachments/" + new string('a', 32))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Http.GetAsync("/attachments/..%2F..%2Fetc%2Fpasswd")).StatusCode);

        // Uploading into the room: 404 as for any room one cannot read, nothing stored.
        var upload = await UploadAsync(outsider, slug, Form(await TokenAsync(outsider, "general"), TestImages.Png(40, 30), "sneaky.png"));
        Assert.Equal(HttpStatusCode.NotFound, upload.StatusCode);
        Assert.Single(await AttachmentsInAsync(slug));

        // Removed from the room: the file is gone for them too.
        var member = await server.SignUpAsync();
        await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/members?handler=Add", new() { ["email"] = member.Email }, $"/rooms/{slug}/members");
        Assert.Equal(HttpStatusCode.OK, (await member.Http.GetAsync(url)).StatusCode);
        await server.WithDbAsync(db => db.Memberships.Where(m => m.UserId == member.Id).ExecuteDeleteAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await member.Http.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_file_of_a_deleted_message_is_404_and_no_longer_shown()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        await using var socket = await ada.JoinAsync(slug);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, TestImages.Png(40, 30), "oops.png", caption: "wrong screenshot")).StatusCode);
        var url = AttachmentUrl(await socket.WaitForAsync(f => f.Contains("attachment image")));
        Assert.Equal(HttpStatusCode.OK, (await ada.Http.GetAsync(url)).StatusCode);

        // Deleted as the delete feature does it: the row stays with DeletedAt set.
        var attachment = Assert.Single(await AttachmentsInAsync(slug));
        await server.WithDbAsync(db => db.Messages.Where(m => m.Id == attachment.MessageId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeletedAt, DateTimeOffset.UtcNow)));

        Assert.Equal(HttpStatusCode.NotFound, (await ada.Http.GetAsync(url)).StatusCode);
        Assert.DoesNotContain(url, await ada.Http.GetStringAsync($"/rooms/{slug}"));
    }

    [Fact]
    public async Task A_retried_upload_with_the_same_client_message_id_is_stored_once()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        await using var socket = await ada.JoinAsync(slug);
        var before = StoredFiles().Length;
        var id = Guid.NewGuid().ToString();
        var token = await TokenAsync(ada, slug);

        var first = await UploadAsync(ada, slug, Form(token, TestImages.Png(40, 30), "once.png", clientMessageId: id));
        var retry = await UploadAsync(ada, slug, Form(token, TestImages.Png(40, 30), "once.png", clientMessageId: id));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode); // acknowledged again, so the page stops retrying

        // A text message after it is seq 2: the retry took no seq and pushed nothing.
        await socket.SendMessageAsync("after the upload");
        await socket.WaitForMessageAsync("after the upload");
        Assert.Single(socket.Seen, f => f.Contains("attachment image"));
        Assert.Contains(socket.Seen, f => f.Contains("id=\"m-2\"") && f.Contains("after the upload"));
        Assert.Single(await AttachmentsInAsync(slug));
        Assert.Equal(before + 2, StoredFiles().Length); // the image and its thumbnail, once
    }

    [Fact]
    public async Task A_page_that_was_offline_gets_the_file_in_its_catch_up_and_in_older_pages()
    {
        var ada = await server.SignUpAsync();
        var grace = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, TestImages.AnimatedGif(10, 10, frames: 1), "blink.gif")).StatusCode);

        // Grace was not connected when it was posted: resume replays it, file included.
        await using var late = await grace.JoinAsync(slug);
        await late.SendJsonAsync(new { type = "resume", afterSeq = 0 });
        var replay = await late.WaitForAsync(f => f.Contains("id=\"m-1\""));
        Assert.Contains("alt=\"blink.gif\" width=\"10\" height=\"10\"", replay);
        // "Load older" (the htmx fragment) renders it the same way.
        using var older = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{slug}/messages?before=2");
        older.Headers.Add("HX-Request", "true");
        Assert.Contains(AttachmentUrl(replay), await (await grace.Http.SendAsync(older)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_javascript_the_plain_form_posts_and_lands_on_the_message()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        var page = await ada.Http.GetStringAsync($"/rooms/{slug}");
        // The room page carries a plain multipart form for it.
        Assert.Matches($"<form id=\"attach\"[^>]*action=\"/rooms/{slug}/attachments\"[^>]*enctype=\"multipart/form-data\"", page);
        Assert.Contains("type=\"file\" id=\"attach-file\" name=\"file\"", page);

        var response = await UploadAsync(ada, slug, Form(ChatterServer.AntiforgeryToken(page), Samples.Pdf(), "minutes.pdf", caption: "minutes"), script: false);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/rooms/{slug}#m-1", response.Headers.Location!.ToString());
        var after = await ada.Http.GetStringAsync($"/rooms/{slug}");
        Assert.Contains("<span class=\"file-name\">minutes.pdf</span>", after);
        Assert.Contains(">minutes</p></div>", after);
    }

    [Fact]
    public async Task A_caption_that_is_too_long_is_refused_and_the_file_is_not_kept()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        var before = StoredFiles().Length;
        var response = await UploadAsync(ada, slug, TestImages.Png(40, 30), "a.png", caption: new string('x', Message.BodyMaxLength + 1));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ChatterWeb.Messages.PostMessage.TooLongError, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, StoredFiles().Length);
        Assert.Empty(await AttachmentsInAsync(slug));
    }

    /// <summary>Sends another content without a Content-Length (Transfer-Encoding: chunked).</summary>
    private sealed class Chunked : HttpContent
    {
        private readonly HttpContent _inner;

        public Chunked(HttpContent inner)
        {
            _inner = inner;
            foreach (var h in inner.Headers)
                Headers.TryAddWithoutValidation(h.Key, h.Value);
            Headers.ContentLength = null;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    public sealed class OnSqlite(SmallUploadServer server) : AttachmentTests(server), IClassFixture<SmallUploadServer>;

    public sealed class OnPostgreSql(SmallUploadServer.OnPostgreSql server) : AttachmentTests(server), IClassFixture<SmallUploadServer.OnPostgreSql>;
}

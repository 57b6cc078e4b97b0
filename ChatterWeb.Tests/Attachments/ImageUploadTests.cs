using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Attachments;

/// <summary>
/// Images over real HTTP: what the room shows (the thumbnail, the original on click, an animation as a
/// still with a play control), what is stored and served (no metadata), what is refused (damaged
/// images: 400, nothing stored), and what is removed (a deleted message's files, orphans).
/// </summary>
public abstract class ImageUploadTests(ChatterServer server)
{
    private async Task<string> NewRoomAsync(TestUser owner)
    {
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", new() { ["name"] = "Photos " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    private static async Task<HttpResponseMessage> UploadAsync(TestUser user, string slug, byte[] bytes, string fileName, bool script = true)
    {
        var token = ChatterServer.AntiforgeryToken(await user.Http.GetStringAsync($"/rooms/{slug}"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(Guid.NewGuid().ToString()), "clientMessageId" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/rooms/{slug}/attachments") { Content = form };
        if (script)
            request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return await user.Http.SendAsync(request);
    }

    private Task<List<Attachment>> AttachmentsInAsync(string slug) =>
        server.WithDbAsync(db => db.Attachments.AsNoTracking().Where(a => db.Rooms.Any(r => r.Id == a.RoomId && r.Slug == slug)).ToListAsync());

    private string PathOf(string key) => Path.Combine(server.AttachmentsPath, key[..2], key);

    private string[] StoredFiles() =>
        Directory.Exists(server.AttachmentsPath) ? Directory.GetFiles(server.AttachmentsPath, "*", SearchOption.AllDirectories) : [];

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;

    [Fact]
    public async Task A_phone_photo_with_gps_is_served_without_it_upright_and_the_room_shows_its_thumbnail()
    {
        var ada = await server.SignUpAsync("Ada");
        var grace = await server.SignUpAsync("Grace");
        var slug = await NewRoomAsync(ada);
        await using var watcher = await grace.JoinAsync(slug);
        var photo = TestImages.WithExif(TestImages.Jpeg(1600, 1200), orientation: 6);
        Assert.True(Contains(photo, "GPS-FIX!"));

        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, photo, "IMG_0042.jpg")).StatusCode);

        // The room shows the thumbnail at the upright size (1200x1600 fitted into 360x320), linked to the original.
        var frame = await watcher.WaitForAsync(f => f.Contains("attachment image"));
        var m = Regex.Match(frame, "<a href=\"(/attachments/[0-9a-f]{32})\" target=\"_blank\" rel=\"noopener\"><img src=\"(/attachments/[0-9a-f]{32})/thumbnail\" alt=\"IMG_0042.jpg\" width=\"240\" height=\"320\" loading=\"lazy\"");
        Assert.True(m.Success, frame);
        var url = m.Groups[1].Value;
        Assert.Equal(url, m.Groups[2].Value);
        Assert.DoesNotContain("class=\"play\"", frame);

        var original = await grace.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("image/jpeg", original.Content.Headers.ContentType!.MediaType);
        var served = await original.Content.ReadAsByteArrayAsync();
        Assert.False(TestImages.HasApp1(served));
        Assert.False(Contains(served, "GPS-FIX!"));
        Assert.False(Contains(served, "Exif"));
        var read = TestImages.Read(served, out var pixel);
        Assert.Equal((1200, 1600, SkiaSharp.SKEncodedOrigin.TopLeft), (read.Width, read.Height, read.Origin));
        Assert.True(TestImages.Near(pixel(600, 20), TestImages.Left), $"{pixel(600, 20)}"); // the red half is on top now

        var thumbnail = await grace.Http.GetAsync(url + "/thumbnail");
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/webp", thumbnail.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", thumbnail.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", thumbnail.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("inline", thumbnail.Content.Headers.ContentDisposition!.DispositionType);
        var thumbBytes = await thumbnail.Content.ReadAsByteArrayAsync();
        Assert.Equal((360, 480), TestImages.Size(thumbBytes));
        Assert.True(thumbBytes.Length < served.Length / 4, $"thumbnail {thumbBytes.Length} bytes, original {served.Length}");

        // Stored: the upright size, the re-encoded length, both files under random keys.
        var stored = Assert.Single(await AttachmentsInAsync(slug));
        Assert.Equal((1200, 1600, served.Length, false), (stored.Width!.Value, stored.Height!.Value, (int)stored.Length, stored.Animated));
        Assert.Equal(served, await File.ReadAllBytesAsync(PathOf(stored.StorageKey)));
        Assert.Equal(thumbBytes, await File.ReadAllBytesAsync(PathOf(stored.ThumbnailKey!)));

        // The page renders the same markup; someone who cannot read the room gets 404 for both.
        Assert.Contains($"<img src=\"{url}/thumbnail\"", await grace.Http.GetStringAsync($"/rooms/{slug}"));
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task An_animated_gif_shows_as_a_still_with_a_play_control_and_the_animation_is_served_whole()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        await using var socket = await ada.JoinAsync(slug);
        var gif = TestImages.AnimatedGif(120, 90, frames: 6);

        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, gif, "party.gif")).StatusCode);

        var frame = await socket.WaitForAsync(f => f.Contains("attachment image"));
        Assert.Contains("<figure class=\"attachment image animated\" hx-disable>", frame);
        var url = Regex.Match(frame, "href=\"(/attachments/[0-9a-f]{32})\"").Groups[1].Value;
        Assert.Contains($"<img src=\"{url}/thumbnail\" alt=\"party.gif\" width=\"120\" height=\"90\"", frame);
        // Without JavaScript the play button stays hidden and the link opens the animation.
        Assert.Contains($"<button type=\"button\" class=\"play\" data-animation=\"{url}\" aria-pressed=\"false\" hidden>Play</button>", frame);

        var still = await ada.Http.GetByteArrayAsync(url + "/thumbnail");
        var stillRead = TestImages.Read(still, out _);
        Assert.Equal((120, 90), (stillRead.Width, stillRead.Height));
        Assert.True(stillRead.Frames <= 1);

        var animation = await ada.Http.GetAsync(url);
        Assert.Equal("image/gif", animation.Content.Headers.ContentType!.MediaType);
        var served = await animation.Content.ReadAsByteArrayAsync();
        Assert.Equal(6, TestImages.Read(served, out _).Frames);
        Assert.False(Contains(served, "51.5074 N")); // the comment block went
        var stored = Assert.Single(await AttachmentsInAsync(slug));
        Assert.True(stored.Animated);
    }

    [Fact]
    public async Task A_damaged_image_is_refused_with_400_and_nothing_is_stored()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        await using var socket = await ada.JoinAsync(slug);
        var before = StoredFiles().Length;
        var jpeg = TestImages.Jpeg(800, 600, noise: true);

        var cut = await UploadAsync(ada, slug, jpeg[..(jpeg.Length / 2)], "half.jpg");
        Assert.Equal(HttpStatusCode.BadRequest, cut.StatusCode);
        Assert.Equal(ImageProcessor.UnreadableError, await cut.Content.ReadAsStringAsync());

        var garbage = await UploadAsync(ada, slug, [.. TestImages.Png(50, 50)[..33], .. Enumerable.Repeat((byte)0xAB, 5000)], "noise.png");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);

        // Without JavaScript: the same status and a page that says why and leads back.
        var plain = await UploadAsync(ada, slug, Samples.Gif(300, 200), "header-only.gif", script: false);
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        var page = await plain.Content.ReadAsStringAsync();
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(ImageProcessor.UnreadableError), page);
        Assert.Contains($"href=\"/rooms/{slug}\"", page);

        // Nothing stored, nothing posted: the next message is seq 1.
        Assert.Equal(before, StoredFiles().Length);
        Assert.Empty(await AttachmentsInAsync(slug));
        await socket.SendMessageAsync("still here");
        var message = await socket.WaitForMessageAsync("still here");
        Assert.Contains("id=\"m-1\"", message);
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task Deleting_the_message_removes_its_image_and_thumbnail_from_storage()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        await using var socket = await ada.JoinAsync(slug);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, TestImages.Jpeg(640, 480), "oops.jpg")).StatusCode);
        var url = Regex.Match(await socket.WaitForAsync(f => f.Contains("attachment image")), "href=\"(/attachments/[0-9a-f]{32})\"").Groups[1].Value;
        var stored = Assert.Single(await AttachmentsInAsync(slug));
        Assert.True(File.Exists(PathOf(stored.StorageKey)) && File.Exists(PathOf(stored.ThumbnailKey!)));

        var delete = await ChatterServer.PostFormAsync(ada.Http, MessageActions.DeletePath(slug, 1), []);
        Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);

        Assert.False(File.Exists(PathOf(stored.StorageKey)));
        Assert.False(File.Exists(PathOf(stored.ThumbnailKey!)));
        Assert.Empty(await AttachmentsInAsync(slug));
        Assert.Equal(HttpStatusCode.NotFound, (await ada.Http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ada.Http.GetAsync(url + "/thumbnail")).StatusCode);
        Assert.NotNull(await server.WithDbAsync(db => db.Messages.Where(m => m.Id == stored.MessageId).Select(m => m.DeletedAt).SingleAsync()));
    }

    [Fact]
    public async Task The_sweep_removes_orphaned_files_and_files_of_deleted_messages_and_keeps_the_rest()
    {
        var ada = await server.SignUpAsync();
        var slug = await NewRoomAsync(ada);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, TestImages.Png(64, 64), "kept.png")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(ada, slug, TestImages.Png(64, 64), "deleted-long-ago.png")).StatusCode);
        var rows = (await AttachmentsInAsync(slug)).OrderBy(a => a.FileName).ToList();
        var (deleted, kept) = (rows[0], rows[1]);
        Assert.Equal(("deleted-long-ago.png", "kept.png"), (deleted.FileName, kept.FileName));
        // A message deleted before files were removed with it: the tombstone still holds its row.
        await server.WithDbAsync(db => db.Messages.Where(m => m.Id == deleted.MessageId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeletedAt, DateTimeOffset.UtcNow)));
        // Files no row holds: one from a crash long ago, one being committed right now, half a write.
        var store = server.Services.GetRequiredService<IAttachmentStore>();
        var old = await store.SaveAsync(new MemoryStream([1, 2, 3]));
        File.SetLastWriteTimeUtc(PathOf(old), DateTime.UtcNow - AttachmentSweeper.Grace - TimeSpan.FromMinutes(5));
        var fresh = await store.SaveAsync(new MemoryStream([4, 5, 6]));
        var part = PathOf(old)[..^4] + "beef.part";
        await File.WriteAllBytesAsync(part, [7]);
        File.SetLastWriteTimeUtc(part, DateTime.UtcNow - AttachmentSweeper.Grace - TimeSpan.FromMinutes(5));
        // The kept files are old too: age alone never removes a file a message holds.
        File.SetLastWriteTimeUtc(PathOf(kept.StorageKey), DateTime.UtcNow.AddDays(-30));

        await using var scope = server.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AttachmentSweeper>().SweepOnceAsync();

        Assert.True(result.DeletedMessageFiles >= 1 && result.OrphanedFiles >= 1, result.ToString());
        Assert.False(File.Exists(PathOf(deleted.StorageKey)));
        Assert.False(File.Exists(PathOf(deleted.ThumbnailKey!)));
        Assert.False(File.Exists(PathOf(old)));
        Assert.False(File.Exists(part));
        Assert.True(File.Exists(PathOf(fresh)));
        Assert.True(File.Exists(PathOf(kept.StorageKey)));
        Assert.True(File.Exists(PathOf(kept.ThumbnailKey!)));
        Assert.Equal([kept.Id], (await AttachmentsInAsync(slug)).Select(a => a.Id));
        Assert.Equal(HttpStatusCode.OK, (await ada.Http.GetAsync($"/attachments/{kept.Id}/thumbnail")).StatusCode);
    }

    public sealed class OnSqlite(ChatterServer server) : ImageUploadTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : ImageUploadTests(server), IClassFixture<PostgreSqlChatterServer>;
}

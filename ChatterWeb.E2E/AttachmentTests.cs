using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Images and files: paste, pick or drop a file; everyone in the room sees it live.</summary>
public sealed class AttachmentTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task An_image_pasted_into_the_composer_appears_inline_for_someone_else_live()
    {
        await using var ada = await app.SignUpAsync("Ada");
        await using var grace = await app.SignUpAsync("Grace");
        var slug = await ada.CreateRoomAsync("Screenshots");
        await grace.OpenRoomAsync(slug);
        await grace.Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // A screenshot on the clipboard, pasted into the composer where a caption is already typed.
        await ada.Composer.FillAsync("the login page is blank");
        await ada.Composer.FocusAsync();
        await ada.Page.EvaluateAsync(@"b64 => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const clipboard = new DataTransfer();
            clipboard.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
            document.getElementById('body').dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
        }", Convert.ToBase64String(Png(480, 240)));

        // Grace sees it without reloading: the caption, and the image itself, loaded, at a bounded size.
        var image = grace.Messages.Last.Locator("figure.attachment.image img");
        await Expect(image).ToBeVisibleAsync();
        await Expect(grace.Bodies.Last).ToHaveTextAsync("the login page is blank");
        await Expect(image).ToHaveAttributeAsync("alt", "image.png");
        await Expect(image).ToHaveAttributeAsync("width", "360");
        await Expect(image).ToHaveAttributeAsync("height", "180");
        await image.ScrollIntoViewIfNeededAsync();
        await grace.Page.WaitForFunctionAsync("() => { const i = document.querySelector('#messages article:last-child figure img'); return i && i.complete && i.naturalWidth === 480; }");
        Assert.True(await grace.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "Grace's page reloaded.");

        // Ada's page shows it too, and her caption went with it.
        await Expect(ada.Messages.Last.Locator("figure.attachment.image img")).ToBeVisibleAsync();
        await Expect(ada.Composer).ToHaveValueAsync("");
        await Expect(ada.Page.Locator("#attach-progress")).ToBeHiddenAsync();

        // The room shows the thumbnail (a WebP); the link opens the image itself, served as a PNG, inline.
        var src = await image.GetAttributeAsync("src");
        Assert.EndsWith("/thumbnail", src);
        var thumbnail = await grace.Page.APIRequest.GetAsync(src!);
        Assert.Equal(200, thumbnail.Status);
        Assert.Equal("image/webp", thumbnail.Headers["content-type"]);
        var href = await grace.Messages.Last.Locator("figure.attachment.image a").GetAttributeAsync("href");
        Assert.Equal(src, href + "/thumbnail");
        await Expect(grace.Messages.Last.Locator("figure.attachment.image a")).ToHaveAttributeAsync("target", "_blank");
        var response = await grace.Page.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.Equal("image/png", response.Headers["content-type"]);
        Assert.StartsWith("inline", response.Headers["content-disposition"]);
        Assert.DoesNotContain(ada.ConsoleMessages.Concat(grace.ConsoleMessages), m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.StartsWith("pageerror", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_picked_or_dropped_is_a_link_with_its_name_and_size_and_a_refusal_shows_under_the_composer()
    {
        await using var ada = await app.SignUpAsync("Ada B");
        await using var grace = await app.SignUpAsync("Grace B");
        var slug = await ada.CreateRoomAsync("Documents");
        await grace.OpenRoomAsync(slug);

        // "Attach a file": the picker. The upload is held up on its way, so its progress can be seen.
        var release = new TaskCompletionSource();
        await ada.Page.RouteAsync("**/attachments", async route => { await release.Task; await route.ContinueAsync(); });
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n" + new string('x', 3000) + "\n%%EOF\n");
        await ada.Page.Locator("#attach-file").SetInputFilesAsync(new FilePayload { Name = "minutes.pdf", MimeType = "application/pdf", Buffer = pdf });
        var progress = ada.Page.Locator("#attach-progress");
        await Expect(progress).ToBeVisibleAsync();
        await Expect(progress).ToContainTextAsync("Uploading minutes.pdf…");
        release.SetResult();
        await ada.Page.UnrouteAllAsync();
        await Expect(progress).ToBeHiddenAsync();
        var link = grace.Messages.Last.Locator("a.attachment.file");
        await Expect(link).ToBeVisibleAsync();
        await Expect(link.Locator(".file-name")).ToHaveTextAsync("minutes.pdf");
        await Expect(link.Locator(".file-size")).ToHaveTextAsync("2.9 KB");

        // Dropped on the room.
        await ada.Page.EvaluateAsync(@"() => {
            const drop = new DataTransfer();
            drop.items.add(new File(['line one\nline two\n'], 'notes.txt', { type: 'text/plain' }));
            const room = document.querySelector('main.room');
            for (const type of ['dragenter', 'dragover', 'drop'])
                room.dispatchEvent(new DragEvent(type, { dataTransfer: drop, bubbles: true, cancelable: true }));
        }");
        await Expect(grace.Messages.Last.Locator("a.attachment.file .file-name")).ToHaveTextAsync("notes.txt");
        await Expect(grace.Messages.Last.Locator("a.attachment.file .file-size")).ToHaveTextAsync("18 bytes");

        // Too large: the server refuses with 413 and the page says why, under the composer.
        // (The page checks the size itself first; the limit it knows is raised so the server is asked.)
        await ada.Page.Locator("#attach").EvaluateAsync("f => f.setAttribute('data-max-bytes', '999999999')");
        var big = new byte[10 * 1024 * 1024 + 1];
        Png(2, 2).CopyTo(big, 0);
        await ada.Page.Locator("#attach-file").SetInputFilesAsync(new FilePayload { Name = "huge.png", MimeType = "image/png", Buffer = big });
        await Expect(ada.Page.Locator("#composer-status.error")).ToHaveTextAsync("That file is too large: the limit is 10 MB.");
        await Expect(grace.Messages).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task An_animated_gif_is_a_still_that_plays_in_place_and_the_images_pass_axe()
    {
        await using var ada = await app.SignUpAsync("Ada G");
        await using var grace = await app.SignUpAsync("Grace G");
        var slug = await ada.CreateRoomAsync("Animations");
        await grace.OpenRoomAsync(slug);

        // A phone photo with GPS and a GIF, picked one after the other.
        var photo = ChatterWeb.Tests.Attachments.TestImages.WithExif(ChatterWeb.Tests.Attachments.TestImages.Jpeg(1200, 900), orientation: 6);
        await ada.Page.Locator("#attach-file").SetInputFilesAsync(new FilePayload { Name = "IMG_0001.jpg", MimeType = "image/jpeg", Buffer = photo });
        await Expect(grace.Messages.Last.Locator("figure.attachment.image img")).ToHaveAttributeAsync("alt", "IMG_0001.jpg");
        var gif = ChatterWeb.Tests.Attachments.TestImages.AnimatedGif(160, 120, frames: 4);
        await ada.Page.Locator("#attach-file").SetInputFilesAsync(new FilePayload { Name = "party.gif", MimeType = "image/gif", Buffer = gif });

        // Grace sees the photo upright (900x1200 scaled to 240x320) and the GIF as a still with a play button.
        var photoImage = grace.Messages.Nth(0).Locator("figure.attachment.image img");
        await Expect(photoImage).ToHaveAttributeAsync("width", "240");
        await Expect(photoImage).ToHaveAttributeAsync("height", "320");
        var figure = grace.Messages.Last.Locator("figure.attachment.image.animated");
        await Expect(figure).ToBeVisibleAsync();
        var still = figure.Locator("img");
        var play = figure.GetByRole(AriaRole.Button, new() { Name = "Play" });
        await Expect(play).ToBeVisibleAsync();
        await Expect(play).ToHaveAttributeAsync("aria-pressed", "false");
        var stillSrc = await still.GetAttributeAsync("src");
        Assert.EndsWith("/thumbnail", stillSrc);
        await grace.Page.WaitForFunctionAsync("() => [...document.querySelectorAll('#messages figure img')].every(i => i.complete && i.naturalWidth > 0)");

        await play.ClickAsync();
        await Expect(play).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(still).ToHaveAttributeAsync("src", stillSrc![..^"/thumbnail".Length]);
        await grace.Page.WaitForFunctionAsync("() => { const i = document.querySelector('#messages figure.animated img'); return i.complete && i.naturalWidth === 160; }");
        await AssertAccessibleAsync(grace.Page);
        await play.ClickAsync();
        await Expect(play).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(still).ToHaveAttributeAsync("src", stillSrc);
        Assert.DoesNotContain(ada.ConsoleMessages.Concat(grace.ConsoleMessages), m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.StartsWith("pageerror", StringComparison.Ordinal));

        // Without JavaScript the button stays hidden and the link opens the animation.
        var noJs = await app.Browser.NewContextAsync(new() { JavaScriptEnabled = false, StorageState = await grace.Page.Context.StorageStateAsync() });
        var page = await noJs.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/rooms/" + slug);
        await Expect(page.Locator("figure.animated button.play")).ToBeHiddenAsync();
        await Expect(page.Locator("figure.animated a")).ToHaveAttributeAsync("href", stillSrc[..^"/thumbnail".Length]);
        await noJs.CloseAsync();
    }

    private static async Task AssertAccessibleAsync(IPage page)
    {
        Deque.AxeCore.Commons.AxeResult result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page);
        Assert.True(result.Violations.Length == 0, "axe on the room with images:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    /// <summary>A real PNG of one colour (zlib-deflated rows, CRC-checked chunks), so the browser decodes it.</summary>
    private static byte[] Png(int width, int height)
    {
        var row = 1 + width * 3; // a filter byte (0: none), then RGB
        var raw = new byte[height * row];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                new byte[] { 0xD0, 0x30, 0x30 }.CopyTo(raw, y * row + 1 + x * 3);
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
            z.Write(raw);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        s.Write(head);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. head.AsSpan(4), .. data]));
        s.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}

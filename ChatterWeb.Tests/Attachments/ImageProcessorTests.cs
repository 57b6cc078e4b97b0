using System.Text;
using ChatterWeb.Attachments;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ChatterWeb.Tests.Attachments;

/// <summary>What is stored for an image: re-encoded without metadata, upright, with a bounded thumbnail.</summary>
public sealed class ImageProcessorTests
{
    private static readonly ImageProcessor Processor = new(Options.Create(new AttachmentOptions()));

    private static async Task<ImageResult.Processed> ProcessedAsync(byte[] content, long maxPixels = 50_000_000)
    {
        var result = await new ImageProcessor(Options.Create(new AttachmentOptions { MaxImagePixels = maxPixels }))
            .ProcessAsync(content, FileType.Detect(content.AsSpan(0, Math.Min(content.Length, FileType.SniffLength)), content.Length), CancellationToken.None);
        return Assert.IsType<ImageResult.Processed>(result);
    }

    private static async Task<string> RefusedAsync(byte[] content, long maxPixels = 50_000_000)
    {
        var type = FileType.Detect(content.AsSpan(0, Math.Min(content.Length, FileType.SniffLength)), content.Length);
        Assert.True(type.IsImage, "the sample should look like an image by its first bytes");
        var result = await new ImageProcessor(Options.Create(new AttachmentOptions { MaxImagePixels = maxPixels })).ProcessAsync(content, type, CancellationToken.None);
        return Assert.IsType<ImageResult.Refused>(result).Error;
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;

    [Fact]
    public async Task A_photo_with_gps_exif_is_stored_without_it_and_turned_upright()
    {
        // A phone photo held sideways: 400x200 pixels as the sensor saw them, EXIF orientation 6
        // (turn 90° clockwise to view), and a GPS position.
        var photo = TestImages.WithExif(TestImages.Jpeg(400, 200), orientation: 6);
        var original = TestImages.Read(photo, out _);
        Assert.Equal(SKEncodedOrigin.RightTop, original.Origin); // the sample is what a camera writes: Skia reads the tag
        Assert.True(TestImages.HasApp1(photo));
        Assert.True(Contains(photo, "Exif") && Contains(photo, "GPS-FIX!"));

        var stored = await ProcessedAsync(photo);

        Assert.Equal("image/jpeg", stored.ContentType);
        Assert.False(TestImages.HasApp1(stored.Content));
        Assert.False(Contains(stored.Content, "Exif"));
        Assert.False(Contains(stored.Content, "GPS-FIX!"));
        Assert.False(Contains(stored.Content, "MM\0*")); // no TIFF structure anywhere
        // Upright: 200 wide, 400 high, no orientation left to apply; what was the left (red) is now the top.
        var read = TestImages.Read(stored.Content, out var pixel);
        Assert.Equal((200, 400, SKEncodedOrigin.TopLeft), (read.Width, read.Height, read.Origin));
        Assert.Equal((200, 400), (stored.Width, stored.Height));
        Assert.True(TestImages.Near(pixel(100, 50), TestImages.Left), $"top is {pixel(100, 50)}");
        Assert.True(TestImages.Near(pixel(100, 350), TestImages.Right), $"bottom is {pixel(100, 350)}");

        // The thumbnail is upright too, and a WebP.
        var thumb = TestImages.Read(stored.Thumbnail, out var thumbPixel);
        Assert.Equal((200, 400), (thumb.Width, thumb.Height));
        Assert.True(TestImages.Near(thumbPixel(100, 50), TestImages.Left));
        Assert.StartsWith("RIFF", Encoding.ASCII.GetString(stored.Thumbnail, 0, 4));
    }

    [Theory]
    [InlineData(3, 400, 200, 380, 100, 20, 100)]  // turned 180°: the red half is on the right
    [InlineData(8, 200, 400, 100, 380, 100, 20)]  // turned 90° counter-clockwise: red at the bottom
    [InlineData(2, 400, 200, 380, 100, 20, 100)]  // mirrored: red on the right
    public async Task Every_exif_orientation_is_applied(ushort orientation, int width, int height, int redX, int redY, int blueX, int blueY)
    {
        var stored = await ProcessedAsync(TestImages.WithExif(TestImages.Jpeg(400, 200), orientation));
        TestImages.Read(stored.Content, out var pixel);
        Assert.Equal((width, height), (stored.Width, stored.Height));
        Assert.True(TestImages.Near(pixel(redX, redY), TestImages.Left), $"expected red at {redX},{redY}: {pixel(redX, redY)}");
        Assert.True(TestImages.Near(pixel(blueX, blueY), TestImages.Right), $"expected blue at {blueX},{blueY}: {pixel(blueX, blueY)}");
    }

    [Fact]
    public async Task A_png_keeps_its_format_and_loses_its_text_chunks_and_anything_after_its_end()
    {
        var png = TestImages.Png(300, 120);
        // A tEXt chunk before IDAT (where a Location note would go), and bytes appended after IEND.
        var text = new MemoryStream();
        var body = Encoding.ASCII.GetBytes("tEXtLocation\0Home, 12 Hidden Lane");
        text.Write([0, 0, 0, (byte)(body.Length - 4)]);
        text.Write(body);
        var crc = Crc32(body);
        text.Write([(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc]);
        var withText = png[..33].Concat(text.ToArray()).Concat(png[33..]).Concat("PK\x03\x04 hidden archive"u8.ToArray()).ToArray();

        var stored = await ProcessedAsync(withText);

        Assert.Equal("image/png", stored.ContentType);
        Assert.Equal((300, 120), (stored.Width, stored.Height));
        Assert.False(Contains(stored.Content, "Hidden Lane"));
        Assert.False(Contains(stored.Content, "hidden archive"));
        Assert.EndsWith("IEND", Encoding.ASCII.GetString(stored.Content, stored.Content.Length - 8, 4));
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    [Theory]
    [InlineData(4000, 3000, 480, 360)]
    [InlineData(1000, 3000, 160, 480)]
    [InlineData(300, 200, 300, 200)] // never enlarged
    public async Task The_thumbnail_is_at_most_480_pixels_on_its_long_side(int width, int height, int thumbWidth, int thumbHeight)
    {
        var stored = await ProcessedAsync(TestImages.Jpeg(width, height));
        var thumb = TestImages.Read(stored.Thumbnail, out var pixel);
        Assert.Equal((thumbWidth, thumbHeight), (thumb.Width, thumb.Height));
        Assert.True(TestImages.Near(pixel(thumbWidth / 4, thumbHeight / 2), TestImages.Left));
        Assert.True(TestImages.Near(pixel(thumbWidth * 3 / 4, thumbHeight / 2), TestImages.Right));
    }

    [Fact]
    public async Task A_photo_is_stored_smaller_and_its_thumbnail_far_smaller()
    {
        var photo = TestImages.WithExif(TestImages.Jpeg(3000, 2000, quality: 97, noise: true), orientation: 1);
        var stored = await ProcessedAsync(photo);
        Assert.True(stored.Content.Length < photo.Length, $"{stored.Content.Length} >= {photo.Length}");
        Assert.True(stored.Thumbnail.Length < 40 * 1024, $"thumbnail {stored.Thumbnail.Length} bytes");
    }

    [Fact]
    public async Task A_webp_stays_a_webp_lossless_when_it_was()
    {
        var lossy = await ProcessedAsync(TestImages.WebP(320, 200));
        Assert.Equal(("image/webp", 320, 200), (lossy.ContentType, lossy.Width, lossy.Height));
        Assert.True(Contains(lossy.Content, "VP8 ") && !Contains(lossy.Content, "VP8L"));
        var lossless = await ProcessedAsync(TestImages.WebP(320, 200, lossless: true));
        Assert.True(Contains(lossless.Content, "VP8L") && !Contains(lossless.Content, "VP8 "));
    }

    [Fact]
    public async Task An_animated_gif_keeps_every_frame_and_its_loop_and_loses_its_comment_and_xmp()
    {
        var gif = TestImages.AnimatedGif(64, 48, frames: 5);
        Assert.True(Contains(gif, "51.5074 N") && Contains(gif, "XMP DataXMP"));
        var withTrailer = gif.Concat("after the end"u8.ToArray()).ToArray();

        var stored = await ProcessedAsync(withTrailer);

        Assert.Equal(("image/gif", 64, 48, true), (stored.ContentType, stored.Width, stored.Height, stored.Animated));
        Assert.False(Contains(stored.Content, "51.5074 N"));
        Assert.False(Contains(stored.Content, "XMP"));
        Assert.False(Contains(stored.Content, "after the end"));
        Assert.True(Contains(stored.Content, "NETSCAPE2.0"));
        Assert.Equal(0x3B, stored.Content[^1]);
        var read = TestImages.Read(stored.Content, out var pixel);
        Assert.Equal(5, read.Frames);
        TestImages.Read(gif, out var originalPixel);
        Assert.Equal(originalPixel(10, 10), pixel(10, 10));
        // The image data is the same bytes: only the two metadata blocks (and the trailing text) went.
        Assert.Equal(gif.Length - (2 + 1 + 28 + 1) - (3 + 11 + 1 + 69 + 1), stored.Content.Length);
        // The thumbnail is a still of the first frame.
        var thumb = TestImages.Read(stored.Thumbnail, out var thumbPixel);
        Assert.Equal((64, 48, 1), (thumb.Width, thumb.Height, Math.Max(1, thumb.Frames)));
        Assert.True(TestImages.Near(thumbPixel(32, 24), originalPixel(32, 24), 12));
    }

    [Fact]
    public async Task An_animated_webp_keeps_its_frames_and_loses_its_exif()
    {
        using var a = TestImages.Draw(60, 40);
        using var b = new SKBitmap(new SKImageInfo(60, 40, SKColorType.Rgba8888, SKAlphaType.Premul));
        b.Erase(SKColors.Green);
        var frames = new[] { new SKWebpEncoderFrame(a.PeekPixels(), TimeSpan.FromMilliseconds(100)), new SKWebpEncoderFrame(b.PeekPixels(), TimeSpan.FromMilliseconds(100)) };
        using var encoded = SKWebpEncoder.EncodeAnimated(frames, new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 50));
        var webp = encoded!.ToArray();
        Assert.Equal("VP8X", Encoding.ASCII.GetString(webp, 12, 4));
        // An EXIF chunk at the end, announced in the VP8X flags, as some tools write it.
        var exif = Encoding.ASCII.GetBytes("EXIF\x0c\0\0\0MM\0*GPS-FIX!");
        var withExif = webp.Concat(exif).ToArray();
        withExif[20] |= 0x08;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(withExif.AsSpan(4), (uint)(withExif.Length - 8));
        Assert.Equal(2, TestImages.Read(withExif, out _).Frames);

        var stored = await ProcessedAsync(withExif);

        Assert.Equal(("image/webp", true), (stored.ContentType, stored.Animated));
        Assert.False(Contains(stored.Content, "GPS-FIX!"));
        Assert.Equal(0, stored.Content[20] & 0x08);
        Assert.Equal(2, TestImages.Read(stored.Content, out _).Frames);
        Assert.Equal(webp.Length, stored.Content.Length);
    }

    [Fact]
    public async Task Damaged_images_are_refused_with_a_sentence()
    {
        var jpeg = TestImages.Jpeg(400, 300, noise: true);
        Assert.Equal(ImageProcessor.UnreadableError, await RefusedAsync(jpeg[..(jpeg.Length / 2)])); // cut in half
        var png = TestImages.Png(200, 100);
        var garbage = png[..40].Concat(Enumerable.Repeat((byte)0x5A, 400)).ToArray();
        Assert.Equal(ImageProcessor.UnreadableError, await RefusedAsync(garbage)); // a PNG header, then noise
        Assert.Equal(ImageProcessor.UnreadableError, await RefusedAsync(Samples.Png(1200, 900))); // a header that lies about its size
        Assert.Equal(ImageProcessor.UnreadableError, await RefusedAsync(Samples.Gif(10, 10))); // a GIF header and nothing after
        Assert.Equal(ImageProcessor.UnreadableError, await RefusedAsync(Samples.Jpeg(640, 480)));
    }

    [Fact]
    public async Task An_image_over_the_pixel_limit_is_refused_before_it_is_decoded()
    {
        var error = await RefusedAsync(TestImages.Png(2000, 1000), maxPixels: 1_000_000);
        Assert.Equal(ImageProcessor.TooManyPixelsError(1_000_000), error);
        Assert.Contains("1 megapixels", error);
        Assert.IsType<ImageResult.Processed>(await Processor.ProcessAsync(TestImages.Png(2000, 1000), FileType.Detect(TestImages.Png(2000, 1000), 0), CancellationToken.None));
    }
}

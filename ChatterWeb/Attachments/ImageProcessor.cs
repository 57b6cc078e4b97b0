using Microsoft.Extensions.Options;
using SkiaSharp;

namespace ChatterWeb.Attachments;

/// <summary>
/// What is stored for an uploaded image: never the uploaded bytes as they came. A still image (JPEG,
/// PNG, WebP) is decoded by Skia, turned upright by its EXIF orientation, and encoded again in its own
/// format, so nothing but pixels survives (no EXIF, GPS, XMP, comments, or bytes after the image).
/// An animation (a GIF, an animated WebP) keeps its frames as they were encoded, with its metadata
/// blocks removed (<see cref="GifMetadata"/>, <see cref="WebPMetadata"/>). Every image also gets a
/// still thumbnail (WebP, at most <see cref="ThumbnailMaxSide"/> px on the long side), which is what
/// the room shows. An image Skia cannot decode, or bigger than the pixel limit, is refused.
/// </summary>
public sealed class ImageProcessor(IOptions<AttachmentOptions> options) : IDisposable
{
    public const int ThumbnailMaxSide = 480;
    public const int ThumbnailQuality = 75;
    public const int JpegQuality = 90;
    public const int WebPQuality = 90;
    public const string ThumbnailContentType = "image/webp";

    public const string UnreadableError = "That image could not be read: it is damaged, incomplete or not what its contents claim.";

    public static string TooManyPixelsError(long maxPixels) =>
        $"That image is too large: the limit is {maxPixels / 1_000_000.0:0.#} megapixels.";

    // Decoding holds a full-size bitmap (4 bytes a pixel): at most one per core at a time.
    private readonly SemaphoreSlim _gate = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Processes <paramref name="content"/>, detected as the image <paramref name="detected"/>.</summary>
    public async Task<ImageResult> ProcessAsync(byte[] content, FileType detected, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return Process(content, detected, options.Value.MaxImagePixels);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ImageResult Process(byte[] content, FileType detected, long maxPixels)
    {
        using var data = SKData.CreateCopy(content);
        using var codec = SKCodec.Create(data);
        if (codec is null || !Matches(codec.EncodedFormat, detected.ContentType))
            return new ImageResult.Refused(UnreadableError);
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0)
            return new ImageResult.Refused(UnreadableError);
        if ((long)width * height > maxPixels)
            return new ImageResult.Refused(TooManyPixelsError(maxPixels));

        var animated = codec.FrameCount > 1;
        using var decoded = Decode(codec, width, height);
        if (decoded is null)
            return new ImageResult.Refused(UnreadableError);

        if (animated || detected.ContentType == "image/gif")
        {
            // Frames stay as encoded (Skia encodes no GIF, and a re-encoded animation would lose its
            // timing or grow); only the container's metadata goes. A GIF has no orientation.
            var stripped = detected.ContentType == "image/gif" ? GifMetadata.Strip(content) : WebPMetadata.Strip(content);
            if (stripped is null)
                return new ImageResult.Refused(UnreadableError);
            return new ImageResult.Processed(stripped, detected.ContentType, width, height, animated, Thumbnail(decoded));
        }

        using var upright = Orient(decoded, codec.EncodedOrigin);
        var encoded = Encode(upright, detected.ContentType, content);
        if (encoded is null)
            return new ImageResult.Refused(UnreadableError);
        return new ImageResult.Processed(encoded, detected.ContentType, upright.Width, upright.Height, false, Thumbnail(upright));
    }

    private static bool Matches(SKEncodedImageFormat format, string contentType) => (format, contentType) switch
    {
        (SKEncodedImageFormat.Jpeg, "image/jpeg") => true,
        (SKEncodedImageFormat.Png, "image/png") => true,
        (SKEncodedImageFormat.Gif, "image/gif") => true,
        (SKEncodedImageFormat.Webp, "image/webp") => true,
        _ => false,
    };

    /// <summary>The first frame in sRGB; null when the data is damaged or ends early.</summary>
    private static SKBitmap? Decode(SKCodec codec, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKImageInfo.PlatformColorType,
            codec.Info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul, SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            bitmap.Dispose();
            return null;
        }
        var result = codec.GetPixels(info, bitmap.GetPixels(), bitmap.RowBytes, new SKCodecOptions(0));
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            return null;
        }
        bitmap.NotifyPixelsChanged();
        return bitmap;
    }

    /// <summary>
    /// The image as it is meant to be seen: EXIF orientation 2-8 applied (5-8 swap width and height), so
    /// it no longer depends on a tag the re-encoded file does not carry.
    /// </summary>
    internal static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        var (w, h) = (source.Width, source.Height);
        // x' = ScaleX·x + SkewX·y + TransX, y' = SkewY·x + ScaleY·y + TransY
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),    // mirrored
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1), // turned 180°
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),   // mirrored upside down
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),       // transposed
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),     // turned 90° clockwise
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1), // transverse
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),   // turned 90° counter-clockwise
            _ => null,
        };
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(source.Info.WithSize(swap ? h : w, swap ? w : h));
        using var canvas = new SKCanvas(result);
        canvas.Clear(SKColors.Transparent);
        if (matrix is { } m)
            canvas.SetMatrix(m);
        using (var image = SKImage.FromBitmap(source))
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        canvas.Flush();
        return result;
    }

    /// <summary>The pixels in the original's format; a lossless WebP stays lossless.</summary>
    private static byte[]? Encode(SKBitmap bitmap, string contentType, byte[] original)
    {
        using var pixmap = bitmap.PeekPixels();
        using var encoded = contentType switch
        {
            "image/jpeg" => pixmap.Encode(new SKJpegEncoderOptions(JpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            "image/png" => pixmap.Encode(SKPngEncoderOptions.Default),
            "image/webp" => pixmap.Encode(IsLosslessWebP(original)
                ? new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 75)
                : new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, WebPQuality)),
            _ => null,
        };
        return encoded?.ToArray();
    }

    /// <summary>Whether the bitstream chunk (alone, or after VP8X and its companions) is VP8L.</summary>
    private static bool IsLosslessWebP(byte[] b)
    {
        var i = 12;
        while (i + 8 <= b.Length)
        {
            var fourCc = b.AsSpan(i, 4);
            if (fourCc.SequenceEqual("VP8L"u8))
                return true;
            if (fourCc.SequenceEqual("VP8 "u8))
                return false;
            var size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(i + 4));
            if (size > int.MaxValue - 16)
                return false;
            i += 8 + (int)size + (int)(size & 1);
        }
        return false;
    }

    /// <summary>A still WebP no larger than <see cref="ThumbnailMaxSide"/> on its long side (never enlarged).</summary>
    internal static byte[] Thumbnail(SKBitmap image)
    {
        var (tw, th) = ThumbnailSize(image.Width, image.Height);
        SKBitmap current = image;
        try
        {
            // Halve with a box-like linear filter while far above the target (a single big step aliases),
            // then one cubic step to the exact size.
            while (current.Width / 2 >= tw && current.Height / 2 >= th && current.Width > 2 * tw)
            {
                var half = current.Resize(new SKSizeI(Math.Max(1, current.Width / 2), Math.Max(1, current.Height / 2)), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
                if (!ReferenceEquals(current, image))
                    current.Dispose();
                current = half;
            }
            if (current.Width != tw || current.Height != th)
            {
                var exact = current.Resize(new SKSizeI(tw, th), new SKSamplingOptions(SKCubicResampler.Mitchell));
                if (!ReferenceEquals(current, image))
                    current.Dispose();
                current = exact;
            }
            using var pixmap = current.PeekPixels();
            using var encoded = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, ThumbnailQuality))
                ?? throw new InvalidOperationException("Skia could not encode a WebP thumbnail.");
            return encoded.ToArray();
        }
        finally
        {
            if (!ReferenceEquals(current, image))
                current.Dispose();
        }
    }

    /// <summary>The thumbnail's pixel size: scaled down (never up) to fit <see cref="ThumbnailMaxSide"/>.</summary>
    public static (int Width, int Height) ThumbnailSize(int width, int height)
    {
        var scale = Math.Min(1.0, (double)ThumbnailMaxSide / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    public void Dispose() => _gate.Dispose();
}

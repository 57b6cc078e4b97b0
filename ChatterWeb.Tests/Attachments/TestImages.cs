using System.Buffers.Binary;
using SkiaSharp;

namespace ChatterWeb.Tests.Attachments;

/// <summary>
/// Real image files, made here: drawn and encoded by Skia (JPEG, PNG, WebP), written by a small GIF
/// writer (Skia encodes no GIF), and EXIF with GPS as a camera writes it.
/// </summary>
public static class TestImages
{
    public static readonly SKColor Left = new(220, 30, 30);
    public static readonly SKColor Right = new(30, 60, 220);

    /// <summary>The left half red, the right half blue, a few soft circles: tells which way is up.</summary>
    public static SKBitmap Draw(int width, int height, bool noise = false)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { IsAntialias = true };
        paint.Color = Left;
        canvas.DrawRect(0, 0, width / 2f, height, paint);
        paint.Color = Right;
        canvas.DrawRect(width / 2f, 0, width - width / 2f, height, paint);
        if (noise)
        {
            // Something like a photograph: gradients and detail a codec cannot wish away.
            var random = new Random(width * 31 + height);
            for (var i = 0; i < 400; i++)
            {
                paint.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 90);
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(2, Math.Max(3, width / 12)), paint);
            }
        }
        canvas.Flush();
        return bitmap;
    }

    public static byte[] Jpeg(int width, int height, int quality = 92, bool noise = false)
    {
        using var bitmap = Draw(width, height, noise);
        using var data = bitmap.PeekPixels().Encode(new SKJpegEncoderOptions(quality));
        return data!.ToArray();
    }

    public static byte[] Png(int width, int height)
    {
        using var bitmap = Draw(width, height);
        using var data = bitmap.PeekPixels().Encode(SKPngEncoderOptions.Default);
        return data!.ToArray();
    }

    public static byte[] WebP(int width, int height, bool lossless = false)
    {
        using var bitmap = Draw(width, height);
        using var data = bitmap.PeekPixels().Encode(new SKWebpEncoderOptions(lossless ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy, 80));
        return data!.ToArray();
    }

    /// <summary>GPS latitude 51° 30' 26.02" N, as the rationals a camera writes.</summary>
    public static readonly uint[] Latitude = [51, 1, 30, 1, 2602, 100];

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF APP1 segment right after SOI, as a phone writes it: IFD0 with
    /// Orientation and a pointer to a GPS IFD holding GPSLatitudeRef "N", GPSLatitude, and a processing
    /// method text that is easy to look for.
    /// </summary>
    public static byte[] WithExif(byte[] jpeg, ushort orientation)
    {
        var tiff = new MemoryStream();
        void U16(int v) { Span<byte> b = stackalloc byte[2]; BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); tiff.Write(b); }
        void U32(uint v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); tiff.Write(b); }
        tiff.Write("MM\0*"u8);
        U32(8);
        // IFD0 at 8: two entries (12 bytes each), then the next-IFD offset.
        const int gpsIfd = 8 + 2 + 2 * 12 + 4; // 38
        U16(2);
        U16(0x0112); U16(3); U32(1); U16(orientation); U16(0);   // Orientation, SHORT
        U16(0x8825); U16(4); U32(1); U32(gpsIfd);                 // GPSInfo IFD pointer, LONG
        U32(0);
        // GPS IFD at 38: three entries, then its data.
        const int gpsData = gpsIfd + 2 + 3 * 12 + 4; // 80
        U16(3);
        U16(0x0001); U16(2); U32(2); tiff.Write("N\0\0\0"u8);    // GPSLatitudeRef, ASCII "N"
        U16(0x0002); U16(5); U32(3); U32(gpsData);               // GPSLatitude, 3 RATIONAL
        U16(0x001B); U16(7); U32(16); U32(gpsData + 24);         // GPSProcessingMethod, UNDEFINED
        U32(0);
        foreach (var v in Latitude)
            U32(v);
        tiff.Write("ASCII\0\0\0GPS-FIX!"u8);

        var payload = tiff.ToArray();
        var segment = new MemoryStream();
        segment.Write([0xFF, 0xE1]);
        var length = 2 + 6 + payload.Length;
        segment.Write([(byte)(length >> 8), (byte)length]);
        segment.Write("Exif\0\0"u8);
        segment.Write(payload);

        var result = new MemoryStream();
        result.Write(jpeg.AsSpan(0, 2)); // SOI
        result.Write(segment.ToArray());
        result.Write(jpeg.AsSpan(2));
        return result.ToArray();
    }

    /// <summary>
    /// An animated GIF89a: <paramref name="frames"/> frames, each a different colour filling the canvas,
    /// 100 ms apart, looping forever; plus a comment and an XMP application block (metadata to remove).
    /// LZW with 8-bit codes and a clear code every 100 pixels, so codes never grow: valid, just not small.
    /// </summary>
    public static byte[] AnimatedGif(int width, int height, int frames, string comment = "taken at 51.5074 N, 0.1278 W")
    {
        var gif = new MemoryStream();
        void U16(int v) { gif.WriteByte((byte)v); gif.WriteByte((byte)(v >> 8)); }
        void SubBlocks(ReadOnlySpan<byte> data)
        {
            for (var i = 0; i < data.Length; i += 255)
            {
                var n = Math.Min(255, data.Length - i);
                gif.WriteByte((byte)n);
                gif.Write(data.Slice(i, n));
            }
            gif.WriteByte(0);
        }
        gif.Write("GIF89a"u8);
        U16(width);
        U16(height);
        gif.WriteByte(0xF6); // a global table of 128 colours
        gif.WriteByte(0);
        gif.WriteByte(0);
        for (var c = 0; c < 128; c++)
        {
            gif.WriteByte((byte)(c * 2));
            gif.WriteByte((byte)(255 - c * 2));
            gif.WriteByte((byte)((c * 37) % 256));
        }
        gif.Write([0x21, 0xFF, 11]);
        gif.Write("NETSCAPE2.0"u8);
        gif.Write([3, 1, 0, 0, 0]); // loop forever
        gif.Write([0x21, 0xFE]);
        SubBlocks(System.Text.Encoding.ASCII.GetBytes(comment));
        gif.Write([0x21, 0xFF, 11]);
        gif.Write("XMP DataXMP"u8);
        SubBlocks("<x:xmpmeta><exif:GPSLatitude>51,30.43N</exif:GPSLatitude></x:xmpmeta>"u8);

        for (var f = 0; f < frames; f++)
        {
            gif.Write([0x21, 0xF9, 4, 0x04, 10, 0, 0, 0]); // graphic control: keep, 100 ms
            gif.WriteByte(0x2C);
            U16(0);
            U16(0);
            U16(width);
            U16(height);
            gif.WriteByte(0);
            gif.WriteByte(7); // LZW minimum code size: 8-bit codes, clear = 128, end = 129
            var codes = new List<byte> { 128 };
            var colour = (byte)((f * 29 + 5) % 128);
            for (var p = 0; p < width * height; p++)
            {
                if (p > 0 && p % 100 == 0)
                    codes.Add(128);
                codes.Add(colour);
            }
            codes.Add(129);
            SubBlocks(codes.ToArray());
        }
        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>The colour at (x, y) of an encoded image, its size, frame count and EXIF origin, as Skia reads it.</summary>
    public static (int Width, int Height, int Frames, SKEncodedOrigin Origin) Read(byte[] encoded, out Func<int, int, SKColor> pixel)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(encoded)) ?? throw new InvalidOperationException("Skia cannot read it");
        var (frames, origin, w, h) = (codec.FrameCount, codec.EncodedOrigin, codec.Info.Width, codec.Info.Height);
        var bitmap = SKBitmap.Decode(encoded) ?? throw new InvalidOperationException("Skia cannot decode it");
        pixel = (x, y) => bitmap.GetPixel(x, y);
        return (w, h, frames, origin);
    }

    public static (int Width, int Height) Size(byte[] encoded)
    {
        var (w, h, _, _) = Read(encoded, out _);
        return (w, h);
    }

    public static bool Near(SKColor a, SKColor b, int tolerance = 40) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;

    /// <summary>True when a JPEG has an APP1 segment (EXIF or XMP) before its image data.</summary>
    public static bool HasApp1(byte[] jpeg)
    {
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            if (marker == 0xDA)
                return false; // start of scan: no more metadata segments
            if (marker == 0xE1)
                return true;
            i += 2 + (jpeg[i + 2] << 8 | jpeg[i + 3]);
        }
        return false;
    }
}

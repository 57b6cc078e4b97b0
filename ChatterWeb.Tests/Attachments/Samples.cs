using System.Buffers.Binary;
using System.Text;

namespace ChatterWeb.Tests.Attachments;

/// <summary>Small files whose first bytes are what real encoders write.</summary>
public static class Samples
{
    /// <summary>A real 1x1 PNG (a red pixel), with <paramref name="width"/>/<paramref name="height"/> patched into IHDR.</summary>
    public static byte[] Png(int width = 1, int height = 1)
    {
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        return png;
    }

    public static byte[] Gif(ushort width, ushort height)
    {
        var gif = new byte[32];
        "GIF89a"u8.CopyTo(gif);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(6), width);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(8), height);
        return gif;
    }

    /// <summary>SOI, an APP0 (JFIF) segment, then SOF0 with the size.</summary>
    public static byte[] Jpeg(ushort width, ushort height)
    {
        var ms = new MemoryStream();
        ms.Write([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        ms.Write([0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        ms.Write(new byte[64]);
        return ms.ToArray();
    }

    /// <summary>A lossless WebP header (VP8L): 14-bit width-1 and height-1 after the signature byte.</summary>
    public static byte[] WebPLossless(int width, int height)
    {
        var b = new byte[40];
        "RIFF"u8.CopyTo(b);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(4), b.Length - 8);
        "WEBPVP8L"u8.CopyTo(b.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(16), 20);
        b[20] = 0x2F;
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(21), (uint)((width - 1) | (height - 1) << 14));
        return b;
    }

    public static byte[] Pdf() => Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Html() => Encoding.UTF8.GetBytes("<html><body><script>document.title='pwned'</script></body></html>");
}

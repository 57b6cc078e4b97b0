using System.Buffers.Binary;

namespace ChatterWeb.Attachments;

/// <summary>What a file is, decided from its first bytes (never its name or the browser's type).</summary>
public sealed record FileType(string ContentType, bool IsImage, int? Width = null, int? Height = null)
{
    /// <summary>Anything not on the allowlist: kept, but only ever served as a download of opaque bytes.</summary>
    public static readonly FileType Unknown = new("application/octet-stream", false);

    private static ReadOnlySpan<byte> Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> Gzip => [0x1F, 0x8B];
    private static ReadOnlySpan<byte> SevenZip => [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C];
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>How many leading bytes <see cref="Detect"/> looks at.</summary>
    public const int SniffLength = 64 * 1024;

    /// <summary>
    /// The allowlist: PNG, JPEG, GIF and WebP are images (with their pixel size when the header says
    /// it); PDF, ZIP (and so docx/xlsx/odt), gzip, 7z and plain UTF-8 text are files. Everything else,
    /// HTML, SVG and XML included, is <see cref="Unknown"/>.
    /// </summary>
    public static FileType Detect(ReadOnlySpan<byte> head, long length)
    {
        if (head.StartsWith(Png))
        {
            // IHDR is the first chunk: width and height, big-endian, at 16 and 20.
            return head.Length >= 24 && head[12..16].SequenceEqual("IHDR"u8)
                ? Image("image/png", BinaryPrimitives.ReadInt32BigEndian(head[16..]), BinaryPrimitives.ReadInt32BigEndian(head[20..]))
                : Unknown;
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
            return head.Length >= 10 ? Image("image/gif", BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..])) : Unknown;
        if (head.Length >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF)
            return JpegSize(head) is var (w, h) ? Image("image/jpeg", w, h) : new FileType("image/jpeg", true);
        if (head.Length >= 16 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
            return WebPSize(head) is var (w, h) ? Image("image/webp", w, h) : new FileType("image/webp", true);

        if (head.StartsWith("%PDF-"u8))
            return new FileType("application/pdf", false);
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
            return new FileType("application/zip", false);
        if (head.StartsWith(Gzip))
            return new FileType("application/gzip", false);
        if (head.StartsWith(SevenZip))
            return new FileType("application/x-7z-compressed", false);
        if (IsPlainText(head, whole: length <= head.Length))
            return new FileType("text/plain; charset=utf-8", false);
        return Unknown;
    }

    private static FileType Image(string type, int width, int height) =>
        width is > 0 and <= 1_000_000 && height is > 0 and <= 1_000_000 ? new FileType(type, true, width, height) : Unknown;

    /// <summary>
    /// UTF-8 (a BOM allowed) without control characters other than tab, newlines and form feed, that
    /// does not open like markup: a browser that ignored the type could not take it for HTML or SVG.
    /// </summary>
    private static bool IsPlainText(ReadOnlySpan<byte> head, bool whole)
    {
        if (head.IsEmpty)
            return false;
        if (head.StartsWith(Bom))
            head = head[3..];
        // A multi-byte character cut by the end of the sample is not an error.
        if (!whole)
        {
            var cut = head.Length;
            for (var back = 1; back <= 3 && back <= head.Length; back++)
            {
                var b = head[^back];
                if ((b & 0xC0) == 0x80)
                    continue;
                if (b >= 0xC0)
                    cut = head.Length - back;
                break;
            }
            head = head[..cut];
        }
        if (!System.Text.Unicode.Utf8.IsValid(head))
            return false;
        foreach (var b in head)
        {
            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r' and not 0x0C)
                return false;
            if (b == 0x7F)
                return false;
        }
        var start = head.TrimStart(" \t\r\n\f"u8);
        return start.IsEmpty || start[0] != (byte)'<';
    }

    private static (int, int)? JpegSize(ReadOnlySpan<byte> head)
    {
        var i = 2;
        while (i + 9 < head.Length)
        {
            if (head[i] != 0xFF)
                return null;
            var marker = head[i + 1];
            if (marker == 0xFF) { i++; continue; }
            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7) { i += 2; continue; }
            var segment = BinaryPrimitives.ReadUInt16BigEndian(head[(i + 2)..]);
            // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): height then width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
                return (BinaryPrimitives.ReadUInt16BigEndian(head[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(head[(i + 5)..]));
            if (segment < 2)
                return null;
            i += 2 + segment;
        }
        return null;
    }

    private static (int, int)? WebPSize(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30)
            return null;
        var chunk = head[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
            return (1 + ReadUInt24(head[24..]), 1 + ReadUInt24(head[27..]));
        if (chunk.SequenceEqual("VP8L"u8) && head[20] == 0x2F)
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(head[21..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }
        if (chunk.SequenceEqual("VP8 "u8) && head[23] == 0x9D && head[24] == 0x01 && head[25] == 0x2A)
            return (BinaryPrimitives.ReadUInt16LittleEndian(head[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(head[28..]) & 0x3FFF);
        return null;
    }

    private static int ReadUInt24(ReadOnlySpan<byte> b) => b[0] | b[1] << 8 | b[2] << 16;
}

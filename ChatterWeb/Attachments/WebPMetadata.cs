using System.Buffers.Binary;

namespace ChatterWeb.Attachments;

/// <summary>
/// An animated WebP without its metadata: the RIFF chunks are copied except <c>EXIF</c>, <c>XMP </c>,
/// <c>ICCP</c> and unknown ones, and the <c>VP8X</c> flags no longer announce them. Frames
/// (<c>ANMF</c>) are copied byte for byte, so the animation is unchanged. (A still WebP is re-encoded
/// instead, by <see cref="ImageProcessor"/>.)
/// </summary>
public static class WebPMetadata
{
    private const byte IccFlag = 0x20;
    private const byte ExifFlag = 0x08;
    private const byte XmpFlag = 0x04;

    /// <summary>The cleaned file, or null when the chunk structure is broken.</summary>
    public static byte[]? Strip(ReadOnlySpan<byte> webp)
    {
        if (webp.Length < 12 || !webp.StartsWith("RIFF"u8) || !webp[8..12].SequenceEqual("WEBP"u8))
            return null;
        var end = (int)Math.Min(webp.Length, 8L + BinaryPrimitives.ReadUInt32LittleEndian(webp[4..]));
        using var output = new MemoryStream(webp.Length);
        output.Write(webp[..12]);
        var i = 12;
        var chunks = 0;
        while (i + 8 <= end)
        {
            var fourCc = webp.Slice(i, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(webp[(i + 4)..]);
            var next = i + 8L + size + (size & 1);
            if (next > end + (size & 1))
                return null;
            var chunk = webp[i..(int)Math.Min(next, end)];
            if (fourCc.SequenceEqual("VP8X"u8) && size >= 10)
            {
                var copy = chunk.ToArray();
                copy[8] &= unchecked((byte)~(IccFlag | ExifFlag | XmpFlag));
                output.Write(copy);
                chunks++;
            }
            else if (fourCc.SequenceEqual("ANIM"u8) || fourCc.SequenceEqual("ANMF"u8) || fourCc.SequenceEqual("ALPH"u8)
                     || fourCc.SequenceEqual("VP8 "u8) || fourCc.SequenceEqual("VP8L"u8))
            {
                output.Write(chunk);
                chunks++;
            }
            i = (int)Math.Min(next, end);
        }
        if (chunks == 0)
            return null;
        var result = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)(result.Length - 8));
        return result;
    }
}

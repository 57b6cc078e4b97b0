namespace ChatterWeb.Attachments;

/// <summary>
/// A GIF without its metadata: the blocks are walked (GIF89a's block structure, not its pixels, which
/// Skia has already decoded to check them) and copied, except comments, plain-text blocks and
/// application blocks other than the loop count (XMP and ICC travel in those); anything after the
/// trailer is dropped. The image data is copied byte for byte, so the animation is unchanged.
/// </summary>
public static class GifMetadata
{
    /// <summary>The cleaned file, or null when the block structure is broken before any image.</summary>
    public static byte[]? Strip(ReadOnlySpan<byte> gif)
    {
        if (gif.Length < 13 || !(gif.StartsWith("GIF87a"u8) || gif.StartsWith("GIF89a"u8)))
            return null;
        using var output = new MemoryStream(gif.Length);
        var i = 13;
        if ((gif[10] & 0x80) != 0)
            i += 3 << ((gif[10] & 7) + 1); // the global colour table
        if (i > gif.Length)
            return null;
        output.Write(gif[..i]);
        var images = 0;
        while (i < gif.Length)
        {
            var block = gif[i];
            if (block == 0x3B)
                break;
            if (block == 0x2C)
            {
                // Image descriptor (10 bytes), optional local colour table, LZW code size, data sub-blocks.
                if (i + 10 > gif.Length)
                    break;
                var start = i;
                var packed = gif[i + 9];
                i += 10;
                if ((packed & 0x80) != 0)
                    i += 3 << ((packed & 7) + 1);
                i += 1;
                if (i > gif.Length || SkipSubBlocks(gif, ref i) is false)
                    break;
                output.Write(gif[start..i]);
                images++;
                continue;
            }
            if (block == 0x21 && i + 2 <= gif.Length)
            {
                var start = i;
                var label = gif[i + 1];
                i += 2;
                var keep = label == 0xF9 || (label == 0xFF && IsLoopBlock(gif[i..]));
                if (SkipSubBlocks(gif, ref i) is false)
                    break;
                if (keep)
                    output.Write(gif[start..i]);
                continue;
            }
            break; // not a block: what follows is not part of the image
        }
        if (images == 0)
            return null;
        output.WriteByte(0x3B);
        return output.ToArray();
    }

    /// <summary>NETSCAPE2.0 (or its twin ANIMEXTS1.0): how many times the animation loops.</summary>
    private static bool IsLoopBlock(ReadOnlySpan<byte> rest) =>
        rest.Length >= 12 && rest[0] == 11 && (rest[1..12].SequenceEqual("NETSCAPE2.0"u8) || rest[1..12].SequenceEqual("ANIMEXTS1.0"u8));

    /// <summary>Moves past data sub-blocks up to and including the zero-length terminator; false if cut short.</summary>
    private static bool SkipSubBlocks(ReadOnlySpan<byte> gif, ref int i)
    {
        while (i < gif.Length)
        {
            var size = gif[i];
            i += 1 + size;
            if (size == 0)
                return i <= gif.Length;
        }
        return false;
    }
}

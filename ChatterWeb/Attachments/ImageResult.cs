namespace ChatterWeb.Attachments;

/// <summary>What <see cref="ImageProcessor"/> made of an upload.</summary>
public abstract record ImageResult
{
    private ImageResult()
    {
    }

    /// <summary>
    /// The bytes to store instead of the upload (re-encoded, or an animation without its metadata),
    /// their type and upright pixel size, and the still thumbnail (WebP).
    /// </summary>
    public sealed record Processed(byte[] Content, string ContentType, int Width, int Height, bool Animated, byte[] Thumbnail) : ImageResult;

    /// <summary>Not stored: <paramref name="Error"/> says why, in a sentence for the person.</summary>
    public sealed record Refused(string Error) : ImageResult;
}

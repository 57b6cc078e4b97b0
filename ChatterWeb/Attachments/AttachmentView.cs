namespace ChatterWeb.Attachments;

/// <summary>What a message's markup needs about its file; nothing about who is looking.</summary>
public sealed record AttachmentView(string Id, string FileName, string ContentType, long Length, int? Width = null, int? Height = null,
    bool HasThumbnail = false, bool Animated = false)
{
    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);
    public string Url => "/attachments/" + Id;

    /// <summary>What the room shows: the still thumbnail, or the file itself for an image stored before thumbnails.</summary>
    public string ThumbnailUrl => HasThumbnail ? Url + "/thumbnail" : Url;
}

using System.Globalization;
using System.Text.Encodings.Web;

namespace ChatterWeb.Attachments;

/// <summary>
/// The attachment part of a message (written by <c>MessageMarkup</c>): an image as its thumbnail at a
/// bounded size, linked to the full image (an animation: a still with a play control), anything else
/// a download link with its name and size. Same bytes for every viewer. The file
/// name is user text: the element holding it is <c>hx-disable</c>.
/// </summary>
public static class AttachmentMarkup
{
    public const int MaxDisplayWidth = 360;
    public const int MaxDisplayHeight = 320;

    public static void Write(TextWriter w, AttachmentView a, HtmlEncoder encoder)
    {
        if (a.IsImage)
        {
            // The room shows the still thumbnail; the link (a click, or a new tab) opens the full image.
            w.Write(a.Animated ? "<figure class=\"attachment image animated\" hx-disable><a href=\"" : "<figure class=\"attachment image\" hx-disable><a href=\"");
            w.Write(a.Url);
            w.Write("\" target=\"_blank\" rel=\"noopener\"><img src=\"");
            w.Write(a.ThumbnailUrl);
            w.Write("\" alt=\"");
            encoder.Encode(w, a.FileName);
            w.Write('"');
            if (DisplaySize(a.Width, a.Height) is var (width, height))
            {
                w.Write(" width=\"");
                w.Write(width.ToString(CultureInfo.InvariantCulture));
                w.Write("\" height=\"");
                w.Write(height.ToString(CultureInfo.InvariantCulture));
                w.Write('"');
            }
            w.Write(" loading=\"lazy\" decoding=\"async\">");
            if (a.Animated)
            {
                // A still until asked: without JavaScript the link opens the animation; with it, the
                // play button (shown by animations.mjs) swaps the animation in place and back.
                w.Write("<span class=\"play-badge\" aria-hidden=\"true\">GIF</span></a><button type=\"button\" class=\"play\" data-animation=\"");
                w.Write(a.Url);
                w.Write("\" aria-pressed=\"false\" hidden>Play</button></figure>");
                return;
            }
            w.Write("</a></figure>");
            return;
        }
        w.Write("<a class=\"attachment file\" href=\"");
        w.Write(a.Url);
        w.Write("\" download hx-disable><span class=\"file-name\">");
        encoder.Encode(w, a.FileName);
        w.Write("</span> <span class=\"file-size\">");
        w.Write(HumanSize(a.Length));
        w.Write("</span></a>");
    }

    /// <summary>The pixel size shown: the image's own, scaled down (never up) to fit the bounds.</summary>
    public static (int Width, int Height)? DisplaySize(int? width, int? height)
    {
        if (width is not > 0 || height is not > 0)
            return null;
        var scale = Math.Min(1.0, Math.Min((double)MaxDisplayWidth / width.Value, (double)MaxDisplayHeight / height.Value));
        return (Math.Max(1, (int)Math.Round(width.Value * scale)), Math.Max(1, (int)Math.Round(height.Value * scale)));
    }

    /// <summary>"532 bytes", "12.3 KB", "4.5 MB" (powers of 1024, as the limit is stated).</summary>
    public static string HumanSize(long bytes)
    {
        if (bytes < 1024)
            return bytes == 1 ? "1 byte" : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
        string[] units = ["KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var text = value < 10 ? value.ToString("0.#", CultureInfo.InvariantCulture) : value.ToString("0", CultureInfo.InvariantCulture);
        return text + " " + units[unit];
    }
}

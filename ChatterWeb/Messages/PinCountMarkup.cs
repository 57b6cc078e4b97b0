using System.Globalization;
using System.Text.Encodings.Web;

namespace ChatterWeb.Messages;

/// <summary>
/// The room header's link to its pins with their count (<c>#pin-count</c>). A change that pinned or
/// unpinned a message carries it out of band after the article (<see cref="MessageView.RoomPinCount"/>),
/// and so does a replay; <c>data-change</c> says which change number it is at least as new as, so the
/// page (pins.mjs) never puts an older count over a newer one. The same bytes for every viewer.
/// </summary>
public static class PinCountMarkup
{
    public static void Write(TextWriter w, string slug, int count, long change, bool oob, HtmlEncoder? encoder = null)
    {
        encoder ??= HtmlEncoder.Default;
        w.Write("<a id=\"pin-count\" class=\"pin-count\" href=\"/rooms/");
        encoder.Encode(w, slug);
        w.Write("/pins\" data-change=\"");
        w.Write(change.ToString(CultureInfo.InvariantCulture));
        w.Write(oob ? "\" hx-swap-oob=\"true\">Pinned (" : "\">Pinned (");
        w.Write(count.ToString(CultureInfo.InvariantCulture));
        w.Write(")</a>");
    }

    /// <summary>The link as the room page opens with it.</summary>
    public static string Render(string slug, int count, long change)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(sw, slug, count, change, oob: false);
        return sw.ToString();
    }
}

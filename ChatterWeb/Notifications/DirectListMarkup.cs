using System.Globalization;
using System.Text.Encodings.Web;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace ChatterWeb.Notifications;

/// <summary>The sidebar's "Direct messages" list: the same markup on the page and in the per-user frame.</summary>
public sealed class DirectListMarkup(IReadOnlyList<DirectRoom> directs, IReadOnlyDictionary<long, UnreadCount> unread, string? currentSlug) : IHtmlContent
{
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => Write(writer, directs, unread, currentSlug);

    public static void Write(TextWriter w, IReadOnlyList<DirectRoom> directs, IReadOnlyDictionary<long, UnreadCount> unread, string? currentSlug)
    {
        var e = HtmlEncoder.Default;
        w.Write("<ul id=\"direct-list\" class=\"room-list\" hx-swap-oob=\"true\" aria-label=\"Direct messages\">");
        foreach (var d in directs)
        {
            var current = d.Room.Slug == currentSlug;
            w.Write("<li><a href=\"/rooms/");
            e.Encode(w, d.Room.Slug);
            w.Write(current ? "\" class=\"current\" aria-current=\"page\">" : "\">");
            e.Encode(w, d.Names);
            w.Write(' ');
            UnreadMarkup.WriteBadge(w, d.Room.Id, unread.GetValueOrDefault(d.Room.Id));
            w.Write("</a></li>");
        }
        w.Write("</ul>");
    }

    public static byte[] Render(IReadOnlyList<DirectRoom> directs, IReadOnlyDictionary<long, UnreadCount> unread)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(sw, directs, unread, currentSlug: null);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }
}

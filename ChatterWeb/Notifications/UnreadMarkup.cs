using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Html;

namespace ChatterWeb.Notifications;

/// <summary>
/// The sidebar's unread badge for one room (the same markup on the page and in the per-user frame,
/// swapped by id), and the hidden notification signal the page turns into a browser notification.
/// </summary>
public sealed class UnreadMarkup(long roomId, UnreadCount unread) : IHtmlContent
{
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => WriteBadge(writer, roomId, unread);

    public static void WriteBadge(TextWriter w, long roomId, UnreadCount u)
    {
        w.Write("<span id=\"unread-");
        w.Write(roomId.ToString(CultureInfo.InvariantCulture));
        w.Write(u.Mentions > 0 ? "\" class=\"unread mentioned\"" : "\" class=\"unread\"");
        w.Write(" hx-swap-oob=\"true\" data-count=\"");
        w.Write(u.Count.ToString(CultureInfo.InvariantCulture));
        w.Write("\" data-mentions=\"");
        w.Write(u.Mentions.ToString(CultureInfo.InvariantCulture));
        w.Write("\">");
        if (u.Count > 0)
        {
            if (u.Mentions > 0)
                w.Write("<span class=\"mention-mark\" aria-hidden=\"true\">@</span>");
            w.Write(u.Count > 99 ? "99+" : u.Count.ToString(CultureInfo.InvariantCulture));
            w.Write(u.Mentions > 0 ? "<span class=\"visually-hidden\"> unread, mentions you</span>" : "<span class=\"visually-hidden\"> unread</span>");
        }
        w.Write("</span>");
    }

    /// <summary>Asks the page (if its tab is hidden) to notify: a mention, a direct message, or any message when the room says "everything".</summary>
    public static void WriteNotify(TextWriter w, RoomInfo room, MessageView m, bool mentioned)
    {
        var e = HtmlEncoder.Default;
        var title = room.Kind == Data.RoomKind.Direct ? $"{m.AuthorName} (direct message)"
            : mentioned ? $"{m.AuthorName} mentioned you in #{room.Name}" : $"{m.AuthorName} in #{room.Name}";
        var body = m.Body.Length > 200 ? m.Body[..200] + "…" : m.Body;
        w.Write("<div id=\"notify-signal\" hx-swap-oob=\"true\" hidden data-title=\"");
        e.Encode(w, title);
        w.Write("\" data-body=\"");
        e.Encode(w, body);
        // a reply shown only in its thread opens there
        w.Write("\" data-url=\"");
        e.Encode(w, m.ParentSeq is long parent && !m.AlsoInRoom ? MessageActions.ThreadPath(room.Slug, parent) : "/rooms/" + room.Slug);
        w.Write("#m-");
        w.Write(m.Seq.ToString(CultureInfo.InvariantCulture));
        w.Write("\" data-tag=\"");
        w.Write(room.Id.ToString(CultureInfo.InvariantCulture));
        w.Write('-');
        w.Write(m.Seq.ToString(CultureInfo.InvariantCulture));
        w.Write("\"></div>");
    }

    public static byte[] Badge(long roomId, UnreadCount u)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        WriteBadge(sw, roomId, u);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }
}

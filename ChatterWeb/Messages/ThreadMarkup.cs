using System.Globalization;
using System.Text.Encodings.Web;
using ChatterWeb.Data;

namespace ChatterWeb.Messages;

/// <summary>
/// The thread's part of a message's markup: on a thread's first message, "N replies" (a link to the
/// thread) and who replied last; on a reply also sent to the room, a link to its thread. The same
/// bytes for every viewer, like the rest of the article.
/// </summary>
public static class ThreadMarkup
{
    public static void WriteSummary(TextWriter w, MessageView m, string seq, HtmlEncoder encoder)
    {
        if (m.RoomSlug.Length == 0)
            return;
        if (m.ParentSeq is long parent)
        {
            if (!m.AlsoInRoom)
                return;
            w.Write("<p class=\"thread-meta\"><a class=\"in-thread\" href=\"/rooms/");
            encoder.Encode(w, m.RoomSlug);
            w.Write("/@");
            w.Write(parent.ToString(CultureInfo.InvariantCulture));
            w.Write("/thread\">Replied in a thread</a></p>");
            return;
        }
        if (ThreadSummary.Parse(m.ThreadSummary) is not { } summary)
            return;
        w.Write("<p class=\"thread-meta\"><a class=\"thread-summary\" href=\"/rooms/");
        encoder.Encode(w, m.RoomSlug);
        w.Write("/@");
        w.Write(seq);
        w.Write("/thread\">");
        w.Write(summary.Count.ToString(CultureInfo.InvariantCulture));
        w.Write(summary.Count == 1 ? " reply</a>" : " replies</a>");
        if (summary.LastRepliers.Count > 0)
        {
            w.Write(" <span class=\"repliers\" hx-disable>Last from ");
            encoder.Encode(w, string.Join(", ", summary.LastRepliers));
            w.Write("</span>");
        }
        w.Write("</p>");
    }
}

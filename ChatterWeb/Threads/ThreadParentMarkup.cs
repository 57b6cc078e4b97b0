using System.Globalization;
using System.Text.Encodings.Web;
using ChatterWeb.Messages;
using Microsoft.AspNetCore.Html;

namespace ChatterWeb.Threads;

/// <summary>
/// The thread's first message at the top of the pane: author, time and text, and a link to it in
/// the room. Not an article with the message's id (that one stays in the room's list), so an edit
/// of it shows here on the next visit.
/// </summary>
public sealed class ThreadParentMarkup(MessageView parent) : IHtmlContent
{
    public void WriteTo(TextWriter w, HtmlEncoder encoder)
    {
        w.Write("<div class=\"thread-parent\"><p class=\"msg-head\"><span class=\"author\" hx-disable>");
        encoder.Encode(w, parent.AuthorName);
        w.Write("</span> <time datetime=\"");
        w.Write(parent.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.Write("\">");
        w.Write(parent.CreatedAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture));
        w.Write("</time> <a href=\"");
        encoder.Encode(w, MessageActions.PermalinkPath(parent.RoomSlug, parent.Seq));
        w.Write("\">In the room</a></p>");
        if (parent.DeletedAt is not null)
            w.Write("<div class=\"body tombstone\">This message was deleted.</div>");
        else
        {
            w.Write("<div class=\"body\" hx-disable>");
            w.Write(Formatting.ToHtml(parent.Body));
            w.Write("</div>");
        }
        w.Write("</div>");
    }
}

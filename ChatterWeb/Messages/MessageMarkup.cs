using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ChatterWeb.Accounts;
using ChatterWeb.Attachments;
using Microsoft.AspNetCore.Html;

namespace ChatterWeb.Messages;

/// <summary>
/// The one piece of markup for a message: the room page, "load older", the catch-up after a
/// reconnect and the pushed fragment all come from <see cref="Write"/>. It never reads the
/// current user ("mine" is a CSS rule on <c>data-author-id</c>), so it is rendered once per
/// message and its bytes are shared by every socket. Every piece of user text goes through the
/// HTML encoder, inside an element marked <c>hx-disable</c> (the initials, the name, the body, the
/// file); the article itself is not, so its actions (<see cref="MessageActions"/>) are htmx requests.
/// </summary>
public sealed class MessageMarkup(MessageView message) : IHtmlContent
{
    private const string OobOpen = "<div id=\"messages\" hx-swap-oob=\"beforeend\">";
    private const string OobClose = "</div>";

    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => Write(writer, message, encoder);

    public static void Write(TextWriter w, MessageView m, HtmlEncoder? encoder = null) => Write(w, m, encoder, oob: false);

    private static void Write(TextWriter w, MessageView m, HtmlEncoder? encoder, bool oob)
    {
        encoder ??= HtmlEncoder.Default;
        var seq = m.Seq.ToString(CultureInfo.InvariantCulture);
        var deleted = m.DeletedAt is not null;

        // "cont": the same author's run goes on (one name and avatar for the run; the same bytes for every viewer).
        w.Write((deleted, m.Continues) switch
        {
            (true, true) => "<article class=\"msg cont deleted",
            (true, false) => "<article class=\"msg deleted",
            (false, true) => "<article class=\"msg cont",
            _ => "<article class=\"msg",
        });
        // a reply: shown in its thread; in the room's list too only when it was also sent there
        if (m.ParentSeq is not null)
            w.Write(m.AlsoInRoom ? " reply in-room" : " reply");
        w.Write("\" id=\"m-");
        w.Write(seq);
        w.Write("\" data-seq=\"");
        w.Write(seq);
        w.Write("\" data-author-id=\"");
        encoder.Encode(w, m.AuthorId);
        if (m.Mentions is { Length: > 0 })
        {
            // Who is mentioned; each viewer's own highlight is a per-user CSS rule (docs/PEOPLE.md).
            w.Write("\" data-mentions=\"");
            encoder.Encode(w, m.Mentions);
        }
        if (m.RoomMention != Data.RoomMention.None)
        {
            // @room is everyone's highlight but the author's (a per-user CSS rule); @here's people are in data-mentions.
            w.Write(m.RoomMention == Data.RoomMention.Room ? "\" data-room-mention=\"room" : "\" data-room-mention=\"here");
        }
        if (m.ParentSeq is long parent)
        {
            w.Write("\" data-parent=\"");
            w.Write(parent.ToString(CultureInfo.InvariantCulture));
        }
        w.Write("\" data-change=\"");
        w.Write(m.ChangeSeq.ToString(CultureInfo.InvariantCulture));
        // A change (edit, delete) replaces the article where it stands.
        w.Write(oob ? "\" hx-swap-oob=\"outerHTML\"><span class=\"avatar av-" : "\"><span class=\"avatar av-");
        w.Write(Avatar.Hue(m.AuthorId).ToString(CultureInfo.InvariantCulture));
        w.Write(m.AuthorAvatar is null ? "\" aria-hidden=\"true\" hx-disable>" : " face\" aria-hidden=\"true\" hx-disable>");
        encoder.Encode(w, Avatar.Face(m.AuthorName, m.AuthorAvatar));
        w.Write("</span><div class=\"msg-main\"><header class=\"msg-head\"><span class=\"author\" hx-disable>");
        encoder.Encode(w, m.AuthorName);
        // A bot's badge right after its name; then the tag that tells same-named authors apart.
        w.Write(m.AuthorIsBot ? "</span> <span class=\"bot-badge\">bot</span><span class=\"person-tag\" title=\"" : "</span><span class=\"person-tag\" title=\"");
        w.Write(PersonTag.Title);
        w.Write("\">");
        w.Write(PersonTag.For(m.AuthorId));
        w.Write("</span> <time datetime=\"");
        w.Write(m.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        w.Write("\">");
        w.Write(m.CreatedAt.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture));
        w.Write("</time>");
        if (m.EditedAt is { } edited && !deleted)
            WriteEdited(w, m, edited, seq, encoder);
        if (m.PinnedAt is not null && !deleted)
            w.Write(" <span class=\"pinned-marker\"><span aria-hidden=\"true\">📌 </span>Pinned</span>");
        if (m.RoomSlug.Length > 0 && !deleted)
            MessageActions.Write(w, m.RoomSlug, seq, (m.ParentSeq ?? m.Seq).ToString(CultureInfo.InvariantCulture), m.PinnedAt is not null, encoder);
        if (deleted)
        {
            w.Write(m.RemovedByAdministrator
                ? "</header><div class=\"body tombstone\">This message was removed by an administrator.</div>"
                : "</header><div class=\"body tombstone\">This message was deleted.</div>");
            ThreadMarkup.WriteSummary(w, m, seq, encoder);
            w.Write("</div></article>");
            return;
        }
        w.Write("</header><div class=\"body\" hx-disable>");
        w.Write(Formatting.ToHtml(m.Body));
        w.Write("</div>");
        if (m.Attachment is { } attachment)
            AttachmentMarkup.Write(w, attachment, encoder);
        if (m.Reactions is not null)
            ReactionChips.Write(w, m.RoomSlug, seq, m.Reactions, encoder);
        ThreadMarkup.WriteSummary(w, m, seq, encoder);
        w.Write("</div></article>");
    }

    /// <summary>
    /// "(edited)" with the edit time as its title; where the room is known, a link to the message's
    /// earlier versions (<see cref="MessageActions.VersionsPath"/>), opened in place by edit-history.mjs.
    /// </summary>
    private static void WriteEdited(TextWriter w, MessageView m, DateTimeOffset edited, string seq, HtmlEncoder encoder)
    {
        var when = edited.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        if (m.RoomSlug.Length == 0)
        {
            w.Write(" <span class=\"edited\" title=\"Edited ");
            w.Write(when);
            w.Write("\">(edited)</span>");
            return;
        }
        w.Write(" <a class=\"edited\" href=\"/rooms/");
        encoder.Encode(w, m.RoomSlug);
        w.Write("/messages/");
        w.Write(seq);
        w.Write("/versions\" title=\"Edited ");
        w.Write(when);
        w.Write(": earlier versions\">(edited)</a>");
    }

    /// <summary>An edit or delete for every open page: the article, replacing <c>#m-{seq}</c> out of band.</summary>
    public static byte[] RenderChange(MessageView m)
    {
        using var sw = new StringWriter(new StringBuilder(640 + m.Body.Length * 2), CultureInfo.InvariantCulture);
        WriteChange(sw, m);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }

    /// <summary>
    /// The message as it now is, replacing <c>#m-{seq}</c> out of band (an edit, a delete, a reaction, a
    /// pin); after a change to the room's pins, the header's count too (<see cref="PinCountMarkup"/>).
    /// </summary>
    public static void WriteChange(TextWriter w, MessageView m)
    {
        Write(w, m, null, oob: true);
        if (m.RoomPinCount is int pins && m.RoomSlug.Length > 0)
            PinCountMarkup.Write(w, m.RoomSlug, pins, m.ChangeSeq, oob: true);
    }

    /// <summary>One article as a string (the answer to an edit or delete made over HTTP).</summary>
    public static string Render(MessageView m)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(sw, m);
        return sw.ToString();
    }

    /// <summary>The pushed frame: the message wrapped so htmx appends it to <c>#messages</c> out of band.</summary>
    public static byte[] RenderFragment(MessageView m)
    {
        using var sw = new StringWriter(new StringBuilder(512 + m.Body.Length * 2), CultureInfo.InvariantCulture);
        sw.Write(OobOpen);
        Write(sw, m);
        sw.Write(OobClose);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }

    /// <summary>Several messages in one frame (the catch-up after a reconnect), in seq order.</summary>
    public static byte[] RenderFragment(IReadOnlyList<MessageView> messages)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        sw.Write(OobOpen);
        foreach (var m in messages)
            Write(sw, m);
        sw.Write(OobClose);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }
}

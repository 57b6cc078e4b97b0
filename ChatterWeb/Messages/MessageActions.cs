using System.Text.Encodings.Web;

namespace ChatterWeb.Messages;

/// <summary>
/// The links every message carries: its permalink, react, reply, pin, edit and delete. They are the
/// same for every viewer (the fragment is rendered once); CSS shows "Edit" on your own messages,
/// "Delete" on yours or, for a room's creator, on all of them, and "Pin" (or "Unpin") to those who
/// may pin in the room. The server checks the rights again on every action.
/// Plain links, so they are keyboard-reachable and work without JavaScript (a form page each). With
/// it, the page's script (message-actions.mjs) sends Edit and Delete through htmx (<c>htmx.ajax</c>
/// on the link's own URL): the attributes that would say so declaratively were about 300 bytes on
/// every message every socket receives, for actions taken on a few.
/// </summary>
public static class MessageActions
{
    public static string PermalinkPath(string slug, long seq) => $"/rooms/{slug}/@{seq}";

    public static string EditPath(string slug, long seq) => $"/rooms/{slug}/messages/{seq}/edit";

    public static string DeletePath(string slug, long seq) => $"/rooms/{slug}/messages/{seq}/delete";

    /// <summary>The earlier versions of an edited message (the "(edited)" marker links there).</summary>
    public static string VersionsPath(string slug, long seq) => $"/rooms/{slug}/messages/{seq}/versions";

    /// <summary>The reaction picker (GET) and the toggle without JavaScript (POST, form field <c>emoji</c>).</summary>
    public static string ReactionsPath(string slug, long seq) => $"/rooms/{slug}/messages/{seq}/reactions";

    /// <summary>Pin or unpin (GET: a page with the button; POST: the toggle without JavaScript).</summary>
    public static string PinPath(string slug, long seq) => $"/rooms/{slug}/messages/{seq}/pin";

    /// <summary>The room's pinned messages.</summary>
    public static string PinsPath(string slug) => $"/rooms/{slug}/pins";

    /// <summary>A thread: the room with the thread beside it (a page of its own on a phone).</summary>
    public static string ThreadPath(string slug, long seq) => $"/rooms/{slug}/@{seq}/thread";

    internal static void Write(TextWriter w, string slug, string seq, string threadSeq, bool pinned, HtmlEncoder encoder)
    {
        var s = encoder.Encode(slug);
        w.Write(" <span class=\"msg-actions\"><a class=\"msg-link\" href=\"/rooms/");
        w.Write(s);
        w.Write("/@");
        w.Write(seq);
        w.Write("\" title=\"Copy a link to this message\">Link</a> <a class=\"msg-react\" href=\"/rooms/");
        w.Write(s);
        w.Write("/messages/");
        w.Write(seq);
        w.Write("/reactions\">React</a> <a class=\"msg-reply\" href=\"/rooms/");
        w.Write(s);
        w.Write("/@");
        w.Write(threadSeq);
        w.Write("/thread\">Reply</a> <a class=\"msg-pin\" href=\"/rooms/");
        w.Write(s);
        w.Write("/messages/");
        w.Write(seq);
        w.Write(pinned ? "/pin\" data-pinned=\"true\" title=\"Unpin this message from the room\">Unpin</a> <a class=\"msg-edit\" href=\"/rooms/"
            : "/pin\" title=\"Pin this message to the room\">Pin</a> <a class=\"msg-edit\" href=\"/rooms/");
        w.Write(s);
        w.Write("/messages/");
        w.Write(seq);
        w.Write("/edit\">Edit</a> <a class=\"msg-delete\" href=\"/rooms/");
        w.Write(s);
        w.Write("/messages/");
        w.Write(seq);
        w.Write("/delete\">Delete</a></span>");
    }
}

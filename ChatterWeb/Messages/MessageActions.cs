using System.Text.Encodings.Web;

namespace ChatterWeb.Messages;

/// <summary>
/// The links every message carries: its permalink, edit and delete. They are the same for every
/// viewer (the fragment is rendered once); CSS shows "Edit" on your own messages and "Delete" on
/// yours or, for a room's creator, on all of them. The server checks the rights again on every action.
/// Plain links, so they are keyboard-reachable and work without JavaScript (a form page each); with
/// it, Edit and Delete are htmx requests:
/// <list type="bullet">
/// <item>Edit fetches the form (<c>_EditForm</c>) into the message.</item>
/// <item>Delete asks first, then posts with the page's antiforgery token (the nearest hidden token
/// input before the message; every signed-in page has one in its header, the sign-out form) and
/// swaps in the answer, the article, by its id when it arrives (<c>hx-select-oob</c>), not into the
/// element it was sent from: the live frame of the same change may have replaced that meanwhile.</item>
/// </list>
/// The page's script (message-actions.mjs) adds only what markup cannot say: focus, errors, Copy.
/// </summary>
public static class MessageActions
{
    public static string PermalinkPath(string slug, long seq) => $"/rooms/{slug}/@{seq}";

    public static string EditPath(string slug, long seq) => $"/rooms/{slug}/messages/{seq}/edit";

    public static string DeletePath(string slug, long seq) => $"/rooms/{slug}/messages/{seq}/delete";

    internal static void Write(TextWriter w, string slug, string seq, HtmlEncoder encoder)
    {
        var s = encoder.Encode(slug);
        w.Write(" <span class=\"msg-actions\"><a class=\"msg-link\" href=\"/rooms/");
        w.Write(s);
        w.Write("/@");
        w.Write(seq);
        w.Write("\" title=\"Copy a link to this message\">Link</a> <a class=\"msg-edit\" href=\"");
        WritePath(w, s, seq, "/edit");
        w.Write("\" hx-get=\"");
        WritePath(w, s, seq, "/edit");
        w.Write("\" hx-target=\"closest .msg-main\" hx-swap=\"beforeend\">Edit</a> <a class=\"msg-delete\" href=\"");
        WritePath(w, s, seq, "/delete");
        w.Write("\" hx-post=\"");
        WritePath(w, s, seq, "/delete");
        w.Write("\" hx-confirm=\"Delete this message? This cannot be undone.\" hx-swap=\"none\" hx-select-oob=\"#m-");
        w.Write(seq);
        w.Write("\" hx-include=\"previous input[name=__RequestVerificationToken]\">Delete</a></span>");
    }

    private static void WritePath(TextWriter w, string encodedSlug, string seq, string action)
    {
        w.Write("/rooms/");
        w.Write(encodedSlug);
        w.Write("/messages/");
        w.Write(seq);
        w.Write(action);
    }
}

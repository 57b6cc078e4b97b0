using System.Globalization;
using System.Text.Encodings.Web;
using ChatterWeb.Data;

namespace ChatterWeb.Messages;

/// <summary>
/// A message's reactions under its body: one button per emoji with its count, who reacted in its
/// title and accessible label, and the reactors' ids in <c>data-users</c> (the layout's per-user CSS
/// rule marks your own; the bytes are the same for every viewer). Each button submits the page's
/// token form (<c>form="action-token"</c>) to the message's reactions URL, so it toggles without
/// JavaScript; with it, reactions.mjs sends a socket frame instead.
/// </summary>
public static class ReactionChips
{
    /// <summary>Names listed in a reaction's title before "and N others".</summary>
    public const int NamesShown = 10;

    public static void Write(TextWriter w, string slug, string seq, string stored, HtmlEncoder encoder)
    {
        var reactions = MessageReactions.Parse(stored);
        if (reactions.Groups.Count == 0)
            return;
        w.Write("<div class=\"reactions\" role=\"group\" aria-label=\"Reactions\">");
        foreach (var g in reactions.Groups)
        {
            var names = Names(g.By);
            var count = g.By.Count.ToString(CultureInfo.InvariantCulture);
            if (slug.Length > 0)
            {
                w.Write("<button type=\"submit\" class=\"reaction\" form=\"action-token\" formmethod=\"post\" formaction=\"/rooms/");
                encoder.Encode(w, slug);
                w.Write("/messages/");
                w.Write(seq);
                w.Write("/reactions\" name=\"emoji\" value=\"");
                encoder.Encode(w, g.Emoji);
                w.Write("\"");
            }
            else
            {
                w.Write("<span class=\"reaction\"");
            }
            w.Write(" data-users=\"");
            encoder.Encode(w, string.Join(' ', g.By.Select(r => r.Id)));
            w.Write("\" title=\"");
            encoder.Encode(w, names);
            w.Write("\" aria-label=\"");
            encoder.Encode(w, $"{ReactionEmoji.NameOf(g.Emoji) ?? g.Emoji}, {count}: {names}");
            w.Write("\"><span aria-hidden=\"true\">");
            encoder.Encode(w, g.Emoji);
            w.Write(" <span class=\"count\">");
            w.Write(count);
            w.Write(slug.Length > 0 ? "</span></span></button>" : "</span></span></span>");
        }
        w.Write("</div>");
    }

    private static string Names(List<MessageReactions.Reactor> by) =>
        by.Count <= NamesShown
            ? string.Join(", ", by.Select(r => r.Name))
            : string.Join(", ", by.Take(NamesShown).Select(r => r.Name)) + $" and {by.Count - NamesShown} others";
}

using System.Globalization;
using System.Text.Encodings.Web;
using ChatterWeb.Accounts;
using Microsoft.AspNetCore.Html;

namespace ChatterWeb.Messages;

/// <summary>
/// The composer's <c>@</c> suggestions: one listbox, empty and hidden on the room page, filled by
/// <c>GET /rooms/{slug}/mentions?q=</c> (the page swaps it in by id).
/// </summary>
public sealed class MentionListMarkup(IReadOnlyList<Mentionable> people) : IHtmlContent
{
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => Write(writer, people, encoder);

    public static void Write(TextWriter w, IReadOnlyList<Mentionable> people, HtmlEncoder? encoder = null)
    {
        var e = encoder ?? HtmlEncoder.Default;
        w.Write("<ul id=\"mention-list\" class=\"mention-list\" role=\"listbox\" aria-label=\"People to mention\" hx-disable");
        w.Write(people.Count == 0 ? " hidden>" : ">");
        for (var i = 0; i < people.Count; i++)
        {
            w.Write("<li id=\"mention-opt-");
            w.Write(i.ToString(CultureInfo.InvariantCulture));
            w.Write("\" role=\"option\" aria-selected=\"false\" data-name=\"");
            e.Encode(w, people[i].DisplayName);
            w.Write("\">");
            Avatar.WriteSmallWithName(w, people[i].UserId, people[i].DisplayName, e);
            w.Write("</li>");
        }
        w.Write("</ul>");
    }
}

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

    /// <summary>An <c>@here</c> or <c>@room</c> offered after the people, with how many it would notify.</summary>
    public sealed record RoomWideOption(string Word, int People);

    public static void Write(TextWriter w, IReadOnlyList<Mentionable> people, HtmlEncoder? encoder = null, IReadOnlyList<RoomWideOption>? roomWide = null)
    {
        var e = encoder ?? HtmlEncoder.Default;
        roomWide ??= [];
        w.Write("<ul id=\"mention-list\" class=\"mention-list\" role=\"listbox\" aria-label=\"People to mention\" hx-disable");
        w.Write(people.Count + roomWide.Count == 0 ? " hidden>" : ">");
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
        for (var i = 0; i < roomWide.Count; i++)
        {
            w.Write("<li id=\"mention-opt-");
            w.Write((people.Count + i).ToString(CultureInfo.InvariantCulture));
            w.Write("\" role=\"option\" aria-selected=\"false\" class=\"room-wide\" data-name=\"");
            w.Write(roomWide[i].Word);
            w.Write("\"><span class=\"avatar small room-wide-mark\" aria-hidden=\"true\">@</span> @");
            w.Write(roomWide[i].Word);
            w.Write(" <span class=\"mention-note\">notifies ");
            w.Write(RoomWide.People(roomWide[i].People));
            w.Write("</span></li>");
        }
        w.Write("</ul>");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ChatterWeb.Accounts;
using Microsoft.AspNetCore.Html;

namespace ChatterWeb.Presence;

/// <summary>The people list: the same markup on the page and in the pushed frame (swapped by id).</summary>
public sealed class PresenceMarkup(IReadOnlyList<PresentUser> people) : IHtmlContent
{
    public void WriteTo(TextWriter writer, HtmlEncoder encoder) => Write(writer, people, encoder);

    public static void Write(TextWriter w, IReadOnlyList<PresentUser> people, HtmlEncoder? encoder = null)
    {
        encoder ??= HtmlEncoder.Default;
        w.Write("<ul id=\"presence\" class=\"presence\" hx-swap-oob=\"true\" hx-disable aria-label=\"People here now\">");
        if (people.Count == 0)
            w.Write("<li class=\"nobody\">Nobody here right now.</li>"); // a page without a socket (no JavaScript) sees this, not an empty heading
        foreach (var p in people)
        {
            w.Write("<li data-user-id=\"");
            encoder.Encode(w, p.UserId);
            // The name starts a direct message with that person (docs/PEOPLE.md); the page hides the link on one's own name.
            w.Write("\"><a class=\"person\" href=\"/direct?with=");
            encoder.Encode(w, Uri.EscapeDataString(p.UserId));
            w.Write("\" title=\"Send a direct message\">");
            Avatar.WriteSmallWithName(w, p.UserId, p.DisplayName, encoder);
            w.Write("</a></li>");
        }
        w.Write("</ul>");
    }

    public static byte[] RenderFragment(IReadOnlyList<PresentUser> people)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(sw, people);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ChatterWeb.Accounts;
using Microsoft.AspNetCore.Html;

namespace ChatterWeb.Presence;

/// <summary>
/// The people list: the same markup on the page and in the frame a socket gets when it opens
/// (swapped by id), and the change frame the room gets afterwards: only who arrived or left, which
/// the page's presence module applies in name order (docs/PEOPLE.md).
/// </summary>
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
            WriteItem(w, p, encoder);
        w.Write("</ul>");
    }

    /// <summary>
    /// Who arrived (their item, to place by name) and who left (an empty item marked
    /// <c>data-gone</c>), aimed at the list a socket's page already has.
    /// </summary>
    public static void WriteChanges(TextWriter w, IReadOnlyList<PresentUser> arrived, IReadOnlyList<string> left, HtmlEncoder? encoder = null)
    {
        encoder ??= HtmlEncoder.Default;
        w.Write("<ul data-presence=\"changes\" hx-swap-oob=\"beforeend:#presence\">");
        foreach (var p in arrived)
            WriteItem(w, p, encoder);
        foreach (var userId in left)
        {
            w.Write("<li data-gone data-user-id=\"");
            encoder.Encode(w, userId);
            w.Write("\"></li>");
        }
        w.Write("</ul>");
    }

    private static void WriteItem(TextWriter w, PresentUser p, HtmlEncoder encoder)
    {
        w.Write("<li data-user-id=\"");
        encoder.Encode(w, p.UserId);
        w.Write("\" data-name=\"");
        encoder.Encode(w, p.DisplayName);
        // The name starts a direct message with that person (docs/PEOPLE.md); the page hides the link on one's own name.
        w.Write("\"><a class=\"person\" href=\"/direct?with=");
        encoder.Encode(w, Uri.EscapeDataString(p.UserId));
        w.Write("\" title=\"Send a direct message\">");
        Avatar.WriteSmallWithName(w, p.UserId, p.DisplayName, encoder);
        w.Write("</a></li>");
    }

    public static byte[] RenderFragment(IReadOnlyList<PresentUser> people)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(sw, people);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }

    public static byte[] RenderChanges(IReadOnlyList<PresentUser> arrived, IReadOnlyList<string> left)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        WriteChanges(sw, arrived, left);
        return Encoding.UTF8.GetBytes(sw.ToString());
    }
}

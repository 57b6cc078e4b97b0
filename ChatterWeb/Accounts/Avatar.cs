using System.Globalization;
using System.Text.Encodings.Web;

namespace ChatterWeb.Accounts;

/// <summary>A person's avatar: their initials on a colour of their own (messages, people lists, the top bar).</summary>
public static class Avatar
{
    /// <summary>"Ada Lovelace" -> "AL", "grace" -> "G"; surrogate pairs (emoji) are kept whole.</summary>
    public static string Initials(string name)
    {
        var parts = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            return "?";
        var first = FirstTextElement(parts[0]);
        return parts.Length == 1 ? first.ToUpperInvariant() : (first + FirstTextElement(parts[^1])).ToUpperInvariant();
    }

    private static string FirstTextElement(string s) => StringInfo.GetNextTextElementLength(s) is var n and > 0 ? s[..n] : "";

    /// <summary>A stable colour (0..7) per person, so a face is recognisable across pages.</summary>
    public static int Hue(string userId)
    {
        uint h = 2166136261;
        foreach (var c in userId)
            h = (h ^ c) * 16777619;
        return (int)(h % 8);
    }

    /// <summary>What the tile shows: the chosen emoji (<see cref="Data.ChatUser.Avatar"/>) or else the initials.</summary>
    public static string Face(string name, string? chosen) => chosen ?? Initials(name);

    /// <summary>The tile's classes after <c>avatar</c>: its colour, and <c>face</c> when it shows a chosen emoji.</summary>
    public static string Classes(string userId, string? chosen) =>
        chosen is null ? "av-" + Hue(userId).ToString(CultureInfo.InvariantCulture) : "av-" + Hue(userId).ToString(CultureInfo.InvariantCulture) + " face";

    /// <summary>A small avatar followed by the name, as people lists show a person: <c>&lt;span class="avatar small av-N"&gt;AL&lt;/span&gt; Ada Lovelace</c>.</summary>
    public static void WriteSmallWithName(TextWriter w, string userId, string name, HtmlEncoder encoder)
    {
        w.Write("<span class=\"avatar small av-");
        w.Write(Hue(userId).ToString(CultureInfo.InvariantCulture));
        w.Write("\" aria-hidden=\"true\">");
        encoder.Encode(w, Initials(name));
        w.Write("</span> ");
        encoder.Encode(w, name);
    }
}

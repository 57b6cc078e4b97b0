using System.Globalization;
using System.Text;

namespace ChatterWeb.Infrastructure;

/// <summary>
/// Names people choose (display names, room names) as they are stored and compared. <see cref="Clean"/>
/// drops what cannot be seen or turns text around: control and format characters (zero-width spaces and
/// joiners, bidi embeddings, overrides and isolates, marks, the byte-order mark, soft hyphens, tag
/// characters), blank-looking letters (Hangul fillers, the braille blank), combining grapheme joiners and
/// variation selectors other than the emoji one; runs of any spacing become one space. A zero-width
/// joiner between two symbols stays (it builds emoji such as 👩‍💻). <see cref="Fold"/> is the key two
/// names are "the same" by: cleaned, compatibility-normalised (NFKC) and upper-cased.
/// </summary>
public static class NameText
{
    public static string Clean(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "";
        var runes = name.EnumerateRunes().ToList(); // a lone surrogate comes out as U+FFFD (Normalize would throw on it)
        var sb = new StringBuilder(name.Length);
        var pendingSpace = false;
        for (var i = 0; i < runes.Count; i++)
        {
            var r = runes[i];
            if (Rune.IsWhiteSpace(r) || Rune.GetUnicodeCategory(r) is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (r.Value == 0x200D && i > 0 && i + 1 < runes.Count && IsSymbol(runes[i - 1]) && IsSymbol(runes[i + 1]))
            {
                sb.Append('\u200D');
                continue;
            }
            if (IsInvisible(r))
                continue;
            if (pendingSpace)
                sb.Append(' ');
            pendingSpace = false;
            sb.Append(r.ToString());
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The comparison key: names with the same key differ only by case, spacing or invisible characters.</summary>
    public static string Fold(string? name) => Clean(name).Normalize(NormalizationForm.FormKC).ToUpperInvariant();

    private static bool IsSymbol(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol || r.Value == 0xFE0F;

    private static bool IsInvisible(Rune r) =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        || r.Value is 0x034F // combining grapheme joiner
            or 0x115F or 0x1160 or 0x3164 or 0xFFA0 // Hangul fillers
            or 0x2800 // braille blank
            or >= 0x180B and <= 0x180F // Mongolian variation selectors and vowel separator
            or >= 0xFE00 and <= 0xFE0E // variation selectors (not FE0F, the emoji one)
            or >= 0xE0100 and <= 0xE01EF; // variation selectors supplement
}

using System.Text;
using System.Text.RegularExpressions;

namespace ChatterWeb.Integrations;

/// <summary>
/// Slack's <c>mrkdwn</c> to the Markdown source ChatterWeb stores, so it is rendered (and sanitised) by
/// the same formatter as a typed message: <c>*bold*</c> becomes <c>**bold**</c>, <c>~strike~</c>
/// <c>~~strike~~</c>, <c>&lt;url|label&gt;</c> a link, <c>&lt;!here&gt;</c> and <c>&lt;@U1&gt;</c> their words;
/// <c>_italic_</c>, code and quotes mean the same in both. Slack's three escapes (<c>&amp;amp;</c>,
/// <c>&amp;lt;</c>, <c>&amp;gt;</c>) are decoded. Code is left as it is.
/// </summary>
public static partial class SlackMrkdwn
{
    public static string ToMarkdown(string mrkdwn)
    {
        var text = mrkdwn.Replace("\r\n", "\n");
        var result = new StringBuilder(text.Length + 16);
        var position = 0;
        foreach (Match code in Code().Matches(text))
        {
            result.Append(Prose(text[position..code.Index]));
            result.Append(Decode(code.Value));
            position = code.Index + code.Length;
        }
        result.Append(Prose(text[position..]));
        return result.ToString();
    }

    /// <summary>Plain text (Slack's <c>plain_text</c>, a field's title) as Markdown that shows it literally.</summary>
    public static string Literal(string text)
    {
        var result = new StringBuilder(text.Length + 8);
        foreach (var c in text.Replace("\r\n", "\n"))
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '~' or '#' or '|' or '!' or '(' or ')')
                result.Append('\\');
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>A link in Markdown: <c>[label](url)</c>, or the label alone when the URL is not http(s)/mailto.</summary>
    public static string Link(string url, string label)
    {
        url = url.Trim();
        if (!Messages.Formatting.IsAllowedUrl(url))
            return Literal(label);
        var target = url.Replace("(", "%28").Replace(")", "%29").Replace(" ", "%20").Replace("<", "%3C").Replace(">", "%3E");
        return "[" + Literal(label) + "](" + target + ")";
    }

    private static string Prose(string text)
    {
        // Control sequences first (their insides are not formatting), then emphasis, then the escapes.
        var withLinks = Control().Replace(text, m =>
        {
            var inner = m.Groups[1].Value;
            var bar = inner.IndexOf('|');
            var target = Decode(bar < 0 ? inner : inner[..bar]);
            var label = bar < 0 ? null : Decode(inner[(bar + 1)..]);
            return target switch
            {
                ['!', ..] => Literal(label ?? target[1..].Split('^')[0]), // <!here>, <!channel>, <!date^…|label>
                ['@', ..] or ['#', ..] => Literal(label ?? target), // a Slack user or channel id means nothing here
                _ => Link(target, label ?? target),
            };
        });
        var parts = Escaped().Split(withLinks); // keep what Link/Literal escaped out of the emphasis rules
        for (var i = 0; i < parts.Length; i += 2)
        {
            // Slack's *bold* is Markdown's **bold**; any other * is a star (Markdown would make "5*3*2" italic).
            var part = Bold().Replace(parts[i], "\u0001$1\u0001").Replace("*", "\\*").Replace("\u0001", "**");
            part = Strike().Replace(part, "~~$1~~");
            parts[i] = Decode(part);
        }
        return string.Concat(parts);
    }

    private static string Decode(string s) => s.Replace("&lt;", "<").Replace("&gt;", ">").Replace("&amp;", "&");

    [GeneratedRegex(@"```[\s\S]*?```|`[^`\n]+`")]
    private static partial Regex Code();

    [GeneratedRegex(@"<([^<>\n]+)>")]
    private static partial Regex Control();

    /// <summary>Links and escaped characters made above, kept whole (odd parts of the split).</summary>
    [GeneratedRegex(@"(\[(?:\\.|[^\]\\])*\]\([^)\s]*\)|\\.)")]
    private static partial Regex Escaped();

    [GeneratedRegex(@"(?<![\w*\\])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![\w~\\])~(?=\S)([^~\n]*?\S)~(?![\w~])")]
    private static partial Regex Strike();
}

using System.Text.Encodings.Web;
using AngleSharp.Dom;
using AngleSharp.Html;
using Ganss.Xss;
using Markdig;
using Microsoft.Extensions.Caching.Memory;
using Markdig.Extensions.AutoLinks;
using Markdig.Parsers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ChatterWeb.Messages;

/// <summary>
/// A message body (Markdown source, stored as typed) to safe HTML: a Markdown subset through Markdig
/// with raw HTML disabled, then an allowlist sanitizer. Bold, italic, strikethrough, inline code,
/// code blocks, quotes, lists, links and bare URLs; no headings, rules, images, tables or HTML.
/// Links keep only http, https and mailto targets and open in a new tab with
/// <c>rel="noopener nofollow ugc"</c>. Every text and attribute value is written by
/// <see cref="HtmlEncoder.Default"/>, the same encoder as the rest of the message markup.
/// </summary>
public static class Formatting
{
    public const string LinkRel = "noopener nofollow ugc";

    private static readonly HashSet<string> AllowedSchemes = new(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" };

    private static readonly MarkdownPipeline Pipeline = BuildPipeline();
    private static readonly HtmlSanitizer Sanitizer = BuildSanitizer();
    private static readonly EncodingFormatter Output = new();

    /// <summary>
    /// Formatted bodies by source text. Sanitizing costs 0.1–0.5 ms (an HTML parse), and a page
    /// renders the same messages again and again (room page, load older, resume), so the result is
    /// kept, bounded by size (about 4 million characters of source plus HTML).
    /// </summary>
    private static readonly Microsoft.Extensions.Caching.Memory.MemoryCache Cache = new(
        new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions { SizeLimit = 4_000_000 });

    /// <summary>The body as HTML for inside the message's <c>.body</c> element.</summary>
    public static string ToHtml(string body)
    {
        if (IsPlain(body))
            return "<p>" + HtmlEncoder.Default.Encode(body) + "</p>";
        if (Cache.TryGetValue(body, out string? cached))
            return cached!;
        var html = Format(body);
        Cache.Set(body, html, new Microsoft.Extensions.Caching.Memory.MemoryCacheEntryOptions { Size = body.Length + html.Length });
        return html;
    }

    /// <summary>The full path: Markdown, restricted, rendered, sanitised (no cache).</summary>
    internal static string Format(string body)
    {
        var document = Markdown.Parse(body, Pipeline);
        Restrict(document, body);
        return Sanitizer.Sanitize(document.ToHtml(Pipeline), "", Output).Trim();
    }

    /// <summary>
    /// Text that Markdown would leave as one plain paragraph (no markup characters, no URL, no
    /// block syntax at the start) skips the parser and the sanitizer: most chat lines are like this.
    /// </summary>
    internal static bool IsPlain(string body)
    {
        if (body.Length == 0 || body.Length > 500 || char.IsWhiteSpace(body[0]))
            return false;
        foreach (var c in body)
        {
            if (c is '*' or '_' or '`' or '[' or ']' or '<' or '>' or '&' or '\\' or '~' or ':' or '\n' or '\r' or '!' or '|' or '@')
                return false;
        }
        if (body.Contains("www.", StringComparison.OrdinalIgnoreCase))
            return false;
        var first = body[0];
        return !(first is '-' or '+' or '#' or '=' or '>' || char.IsDigit(first));
    }

    private static MarkdownPipeline BuildPipeline()
    {
        var builder = new MarkdownPipelineBuilder()
            .DisableHtml()
            .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough)
            .UseAutoLinks(new AutoLinkOptions { UseHttpsForWWWLinks = true })
            .UseSoftlineBreakAsHardlineBreak();
        // "&amp;" typed in chat means those five characters, as in every chat app: no entity decoding.
        builder.InlineParsers.TryRemove<Markdig.Parsers.Inlines.HtmlEntityParser>();
        // "Title\n---" is two lines of chat, not a heading (headings and rules become text in Restrict).
        builder.BlockParsers.Find<ParagraphBlockParser>()!.ParseSetextHeadings = false;
        return builder.Build();
    }

    /// <summary>Headings and rules become their text; images become plain links; a link whose target is not http(s)/mailto becomes its text.</summary>
    private static void Restrict(MarkdownDocument document, string source)
    {
        // A chat line starting with "#" or a row of dashes is text, not a heading or a rule.
        foreach (var block in document.Descendants<LeafBlock>().Where(b => b is HeadingBlock or ThematicBreakBlock).ToList())
        {
            if (block.Parent is not { } parent)
                continue;
            var text = source.Substring(block.Span.Start, Math.Min(block.Span.Length, source.Length - block.Span.Start)).Trim();
            var paragraph = new ParagraphBlock { Inline = new ContainerInline() };
            paragraph.Inline.AppendChild(new LiteralInline(text));
            parent[parent.IndexOf(block)] = paragraph;
        }
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            link.IsImage = false;
            if (IsAllowedUrl(link.Url))
                continue;
            Unwrap(link);
        }
        foreach (var auto in document.Descendants<AutolinkInline>().ToList())
        {
            if (IsAllowedUrl(auto.IsEmail ? "mailto:" + auto.Url : auto.Url))
                continue;
            auto.ReplaceBy(new LiteralInline(auto.Url));
        }
    }

    private static void Unwrap(LinkInline link)
    {
        var parent = link.Parent;
        if (parent is null)
            return;
        Inline? anchor = link;
        var child = link.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            anchor.InsertAfter(child);
            anchor = child;
            child = next;
        }
        link.Remove();
    }

    /// <summary>Absolute http, https or mailto URLs only (checked on the parsed URI, after trimming what browsers ignore).</summary>
    public static bool IsAllowedUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
            return false;
        var trimmed = new string(url.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).ToArray());
        return Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && AllowedSchemes.Contains(uri.Scheme)
            && trimmed.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase);
    }

    private static HtmlSanitizer BuildSanitizer()
    {
        var sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a" },
            AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "start" },
            AllowedSchemes = new HashSet<string>(AllowedSchemes, StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href" },
            AllowedCssProperties = new HashSet<string>(),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            AllowedClasses = new HashSet<string>(),
        })
        {
            KeepChildNodes = true,
            AllowDataAttributes = false,
        };
        sanitizer.PostProcessDom += (_, e) =>
        {
            foreach (var a in e.Document.QuerySelectorAll("a").ToList())
            {
                if (!IsAllowedUrl(a.GetAttribute("href")))
                {
                    // No safe target: keep the words, drop the link.
                    foreach (var child in a.ChildNodes.ToList())
                        a.Parent!.InsertBefore(child, a);
                    a.Remove();
                    continue;
                }
                a.SetAttribute("rel", LinkRel);
                a.SetAttribute("target", "_blank");
            }
            MarkRoomWide(e.Document);
        };
        return sanitizer;
    }

    /// <summary>@here, @room and its synonyms (<see cref="RoomWide"/>), as words: not in an address, not followed by a letter.</summary>
    private static readonly System.Text.RegularExpressions.Regex RoomWideWord = new(@"(?<![\w@])@(?:here|room|channel|everyone)(?!\w)",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// An <c>@here</c>/<c>@room</c> in the text (not in code or a link) is drawn like a mention:
    /// <c>&lt;span class="mention"&gt;</c>, added after sanitising, around text that stays encoded.
    /// </summary>
    private static void MarkRoomWide(AngleSharp.Dom.IDocument document)
    {
        if (document.Body is not { } body)
            return;
        foreach (var text in body.Descendants<AngleSharp.Dom.IText>().ToList())
        {
            if (text.ParentElement?.Closest("code, pre, a") is not null)
                continue;
            var matches = RoomWideWord.Matches(text.Data);
            if (matches.Count == 0)
                continue;
            var parent = text.Parent!;
            var at = 0;
            foreach (System.Text.RegularExpressions.Match m in matches)
            {
                if (m.Index > at)
                    parent.InsertBefore(document.CreateTextNode(text.Data[at..m.Index]), text);
                var span = document.CreateElement("span");
                span.ClassName = "mention";
                span.TextContent = m.Value;
                parent.InsertBefore(span, text);
                at = m.Index + m.Length;
            }
            if (at < text.Data.Length)
                parent.InsertBefore(document.CreateTextNode(text.Data[at..]), text);
            parent.RemoveChild(text);
        }
    }

    /// <summary>Serialises the sanitised DOM with the app's own encoder (text and attribute values alike).</summary>
    private sealed class EncodingFormatter : HtmlMarkupFormatter
    {
        public override string Text(ICharacterData text) => HtmlEncoder.Default.Encode(text.Data);

        public override string LiteralText(ICharacterData text) => HtmlEncoder.Default.Encode(text.Data);

        public override string Comment(IComment comment) => "";

        protected override string Attribute(IAttr attribute) =>
            attribute.LocalName + "=\"" + HtmlEncoder.Default.Encode(attribute.Value) + "\"";
    }
}

using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ChatterWeb.Messages;

namespace ChatterWeb.Tests.Messages;

/// <summary>
/// The formatter against filter-evasion payloads in the style of the OWASP XSS cheat sheet, sent as
/// message bodies (Markdown source). The output is parsed as a browser would and checked for
/// anything that could run script or restyle the page: only the allowlisted tags and attributes
/// survive, and every link is http(s) or mailto.
/// </summary>
public class FormattingTests
{
    private static readonly HashSet<string> AllowedTags = ["p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a"];
    private static readonly HashSet<string> AllowedAttributes = ["href", "rel", "target", "start"];

    public static readonly TheoryData<string> Payloads =
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=javascript:alert('XSS')>",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
        "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
        "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
        "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
        "<IMG SRC=\"jav\tascript:alert('XSS');\">",
        "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
        "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
        "<SCRIPT/XSS SRC=\"http://xss.example/xss.js\"></SCRIPT>",
        "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
        "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
        "<SCRIPT SRC=http://xss.example/xss.js?< B >",
        "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
        "<iframe src=http://xss.example/scriptlet.html <",
        "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
        "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
        "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
        "<svg/onload=alert('XSS')>",
        "<svg><script>alert(1)</script></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
        "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
        "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
        "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
        "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
        "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
        "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
        "<DIV STYLE=\"width: expression(alert('XSS'));\">",
        "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
        "<BASE HREF=\"javascript:alert('XSS');//\">",
        "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.example/scriptlet.html\"></OBJECT>",
        "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
        "<form action=\"javascript:alert(1)\"><button>go</button></form>",
        "<button formaction=javascript:alert(1)>x</button>",
        "<details open ontoggle=alert(1)>",
        "<video><source onerror=\"alert(1)\">",
        "<div hx-get=\"/Account/Logout\" hx-trigger=\"load\">x</div>",
        "<div data-hx-post=\"/rooms\" data-hx-trigger=\"load\">x</div>",
        "<p hx-on:click=\"alert(1)\">click</p>",
        "<a href=\"/rooms\" hx-boost=\"true\" hx-vals='{\"x\":1}'>boost</a>",
        "<!--<img src=x onerror=alert(1)>-->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<template><script>alert(1)</script></template>",
        "<textarea><script>alert(1)</script></textarea>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](javascript&#58;alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](  javascript:alert(1)  )",
        "[click](java\tscript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](data:text/html,<script>alert(1)</script>)",
        "[click](file:///etc/passwd)",
        "[click](//evil.example/x)",
        "[click](/rooms \"title\" onclick=alert(1))",
        "[click](https://ok.example/\" onmouseover=\"alert(1))",
        "[a](<javascript:alert(1)>)",
        "![img](javascript:alert(1))",
        "![img](https://evil.example/x.png \"t\" onerror=alert(1))",
        "![x](x\" onerror=\"alert(1))",
        "<javascript:alert(1)>",
        "<vbscript:alert(1)>",
        "<data:text/html,<script>alert(1)</script>>",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "[ref]\n\n[ref]: data:text/html,x \"t\"",
        "javascript:alert(1)",
        "see javascript://%0aalert(1)",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
        "```\" onmouseover=\"alert(1)\n```",
        "    <img src=x onerror=alert(1)>",
        "> <iframe src=javascript:alert(1)>",
        "- <svg onload=alert(1)>\n- [x](javascript:alert(1))",
        "**<img src=x onerror=alert(1)>**",
        "*<a href=javascript:alert(1)>x</a>*",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
        "\\<script>alert(1)\\</script>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "\"><script>alert(1)</script>",
        "'><img src=x onerror=alert(1)>",
        "<a href=\"https://ok.example\" style=\"position:fixed;top:0;left:0;width:100%;height:100%\">cover</a>",
        "<style>body{display:none}</style>",
        "<img src=\"https://evil.example/track.gif\">",
        "<x onclick=alert(1)>click",
        "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "https://ok.example/\"onmouseover=\"alert(1)",
        "www.example.com/\"><script>alert(1)</script>",
        "mailto:a@b.example?subject=<script>",
        "[x](https://ok.example/\u0000javascript:alert(1))",
        "<object data=\"javascript:alert(1)\">",
        "<isindex type=image src=1 onerror=alert(1)>",
        "<marquee onstart=alert(1)>",
        "<base href=\"https://evil.example/\">",
        "<form><input name=\"__RequestVerificationToken\"></form>",
    ];

    [Theory]
    [MemberData(nameof(Payloads))]
    public void No_payload_survives(string payload)
    {
        AssertSafe(Formatting.Format(payload), payload); // the full path, not a cached answer
        AssertSafe(Formatting.ToHtml(payload), payload);
        Assert.Equal(Formatting.Format(payload), Formatting.ToHtml(payload));
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void No_payload_survives_in_the_whole_message_markup(string payload)
    {
        var article = MessageMarkup.Render(new MessageView(3, "author", "Name", payload, DateTimeOffset.UnixEpoch) { RoomSlug = "general" });
        var doc = new HtmlParser().ParseDocument("<!doctype html><body>" + article);
        var articles = doc.Body!.Children;
        Assert.Single(articles);
        var body = doc.QuerySelector("article .body")!;
        Assert.True(body.HasAttribute("hx-disable"), "the message body must sit inside hx-disable");
        AssertSafe(body.InnerHtml, payload);
        // nothing escaped the body: the article holds exactly the markup it is built from
        Assert.Equal(["article", "span", "div", "header", "span", "span", "time", "span", "a", "a", "a", "a", "a", "a", "div"],
            doc.Body.QuerySelectorAll("*").Where(e => !body.Contains(e) || e == body).Select(e => e.LocalName).ToList());
    }

    private static void AssertSafe(string html, string payload)
    {
        var doc = new HtmlParser().ParseDocument("<!doctype html><body><div id=root>" + html + "</div>");
        var root = doc.GetElementById("root")!;
        foreach (var e in root.QuerySelectorAll("*"))
        {
            Assert.True(AllowedTags.Contains(e.LocalName), $"<{e.LocalName}> survived from {payload}\n{html}");
            foreach (var a in e.Attributes)
            {
                Assert.True(AllowedAttributes.Contains(a.LocalName), $"attribute {a.LocalName} on <{e.LocalName}> survived from {payload}\n{html}");
                Assert.False(a.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.LocalName.Contains("hx-", StringComparison.OrdinalIgnoreCase));
            }
            if (e.LocalName == "a")
            {
                var href = e.GetAttribute("href") ?? "";
                Assert.Matches("^(https?://|mailto:)", href);
                Assert.Equal(Formatting.LinkRel, e.GetAttribute("rel"));
                Assert.Equal("_blank", e.GetAttribute("target"));
            }
        }
        foreach (var attr in root.QuerySelectorAll("*").SelectMany(e => e.Attributes))
        {
            var value = new string(attr.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()).ToLowerInvariant();
            foreach (var scheme in new[] { "javascript:", "vbscript:", "data:", "file:" })
                Assert.False(value.StartsWith(scheme), $"{attr.LocalName}=\"{attr.Value}\" survived from {payload}");
        }
        // no live markup beyond the allowlist: the output re-parses to the same tags (nothing hides in text)
        Assert.DoesNotContain(root.Descendants<IComment>(), _ => true);
    }

    [Theory]
    [InlineData("**bold**", "<p><strong>bold</strong></p>")]
    [InlineData("*it* and _it_", "<p><em>it</em> and <em>it</em></p>")]
    [InlineData("~~gone~~", "<p><del>gone</del></p>")]
    [InlineData("use `a<b`", "<p>use <code>a&lt;b</code></p>")]
    [InlineData("> quoted", "<blockquote><p>quoted</p></blockquote>")]
    [InlineData("- one\n- two", "<ul><li>one</li><li>two</li></ul>")]
    [InlineData("3. three\n4. four", "<ol start=\"3\"><li>three</li><li>four</li></ol>")]
    [InlineData("line one\nline two", "<p>line one<br>line two</p>")]
    [InlineData("# not a heading", "<p># not a heading</p>")]
    [InlineData("---", "<p>---</p>")]
    [InlineData("## two", "<p>## two</p>")]
    [InlineData("title\n---", "<p>title<br>---</p>")]
    [InlineData("just words, nothing else", "<p>just words, nothing else</p>")]
    [InlineData("AT&amp;T &lt;b&gt; *x*", "<p>AT&amp;amp;T &amp;lt;b&amp;gt; <em>x</em></p>")]
    // @here and @room (and its synonyms) are drawn like mentions; not in code, an address or a longer word
    [InlineData("ping @Here and @channel! <b>now</b>", "<p>ping <span class=\"mention\">@Here</span> and <span class=\"mention\">@channel</span>! &lt;b&gt;now&lt;/b&gt;</p>")]
    [InlineData("`@here` me@here.example @hereby @everyone", "<p><code>@here</code> me@here.example @hereby <span class=\"mention\">@everyone</span></p>")]
    public void Formats_the_subset(string body, string expected) =>
        Assert.Equal(expected, Formatting.ToHtml(body).Replace("\n", "").Replace("&#xA;", ""));

    [Fact]
    public void Code_blocks_keep_their_text_and_drop_the_language_class()
    {
        var html = Formatting.ToHtml("```js\nif (a < b) { run(); }\n```");
        Assert.StartsWith("<pre><code>", html);
        Assert.DoesNotContain("class", html);
        var doc = new HtmlParser().ParseDocument(html);
        Assert.Equal("if (a < b) { run(); }\n", doc.QuerySelector("code")!.TextContent);
    }

    [Theory]
    [InlineData("see https://example.com/a?b=1&c=2 now", "https://example.com/a?b=1&c=2")]
    [InlineData("mail me: mailto:ada@example.com", "mailto:ada@example.com")]
    [InlineData("www.example.com", "https://www.example.com")]
    [InlineData("[the docs](https://example.com/docs)", "https://example.com/docs")]
    [InlineData("<https://example.com/auto>", "https://example.com/auto")]
    public void Links_and_bare_urls_become_safe_links(string body, string href)
    {
        var doc = new HtmlParser().ParseDocument(Formatting.ToHtml(body));
        var a = Assert.Single(doc.QuerySelectorAll("a"));
        Assert.Equal(href, a.GetAttribute("href"));
        Assert.Equal("noopener nofollow ugc", a.GetAttribute("rel"));
        Assert.Equal("_blank", a.GetAttribute("target"));
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))", "click")]
    [InlineData("![a cat](https://example.com/cat.png)", "a cat")]
    [InlineData("ftp://example.com/file", "ftp://example.com/file")]
    public void Unsafe_or_unsupported_links_keep_their_words(string body, string text)
    {
        var doc = new HtmlParser().ParseDocument(Formatting.ToHtml(body));
        Assert.Contains(text, doc.Body!.TextContent);
        Assert.DoesNotContain(doc.QuerySelectorAll("a"), a => !Formatting.IsAllowedUrl(a.GetAttribute("href")));
        Assert.Empty(doc.QuerySelectorAll("img"));
    }

    [Theory]
    [InlineData("can't stop 😀 ça va")]
    [InlineData("1 + 1 = 2, \"quoted\"")]
    public void Plain_text_is_encoded_like_the_rest_of_the_markup(string body) =>
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(body), Formatting.ToHtml(body));
}

using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ChatterWeb.Accounts;
using ChatterWeb.Attachments;
using ChatterWeb.Messages;

namespace ChatterWeb.Tests.Messages;

public class MessageMarkupTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 30, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("\"><svg onload=alert(1)>")]
    [InlineData("<div hx-get=\"/Account/Logout\" hx-trigger=\"load\">")]
    [InlineData("' onmouseover='alert(1)")]
    public void Hostile_text_comes_back_encoded_inside_hx_disable(string hostile)
    {
        var html = Encoding.UTF8.GetString(MessageMarkup.RenderFragment(new MessageView(7, "u1", hostile, hostile, At) { RoomSlug = "general" }));
        Assert.DoesNotContain(hostile, html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<svg", html);
        Assert.DoesNotContain("<div hx-get", html);
        // The name and the body (and the initials) are each inside an element marked hx-disable.
        var article = Parse(html);
        foreach (var selector in new[] { ".avatar", ".author", ".body" })
            Assert.NotNull(article.QuerySelector(selector)!.Closest("[hx-disable]"));
    }

    [Fact]
    public void An_edited_message_links_its_earlier_versions_where_the_room_is_known()
    {
        var edited = new MessageView(7, "u1", "Ann", "hello", At, EditedAt: At.AddMinutes(3));
        var linked = Parse(MessageMarkup.Render(edited with { RoomSlug = "general" })).QuerySelector(".msg-head .edited")!;
        Assert.Equal("A", linked.TagName);
        Assert.Equal("/rooms/general/messages/7/versions", linked.GetAttribute("href"));
        Assert.Equal("(edited)", linked.TextContent);
        Assert.Equal("Edited 2026-11-23 09:33 UTC: earlier versions", linked.GetAttribute("title"));

        var plain = Parse(MessageMarkup.Render(edited)).QuerySelector(".msg-head .edited")!;
        Assert.Equal("SPAN", plain.TagName);
        Assert.Null(Parse(MessageMarkup.Render(new MessageView(7, "u1", "Ann", "hello", At) { RoomSlug = "general" })).QuerySelector(".edited"));
        Assert.Null(Parse(MessageMarkup.Render(edited with { RoomSlug = "general", DeletedAt = At.AddMinutes(4) })).QuerySelector(".edited"));
    }

    [Fact]
    public void Every_piece_of_user_text_sits_inside_hx_disable_and_the_actions_do_not()
    {
        const string name = "Zed NameMark";
        const string body = "BodyMark with a https://example.com/BodyLink link";
        const string file = "FileMark.pdf";
        foreach (var attachment in new[] { new AttachmentView("0123456789abcdef0123456789abcdef", file, "application/pdf", 10), new AttachmentView("0123456789abcdef0123456789abcdef", file, "image/png", 10, 4, 4) })
        {
            var article = Parse(MessageMarkup.Render(new MessageView(7, "u1", name, body, At, Attachment: attachment) { RoomSlug = "general" }));

            // every text node and attribute value that carries user text (or the initials drawn from it)
            var carriers = article.Descendants().Where(n => n is IText t && Regex.IsMatch(t.Data, "Mark|^ZN$"))
                .Select(n => n.ParentElement!)
                .Concat(article.QuerySelectorAll("*").Where(e => e.Attributes.Any(a => a.Value.Contains("Mark", StringComparison.Ordinal) || a.Value.Contains("BodyLink", StringComparison.Ordinal))))
                .ToList();
            Assert.Equal(5, carriers.Count); // initials, name, body paragraph, autolink href, file name (alt or span)
            Assert.All(carriers, e => Assert.NotNull(e.Closest("[hx-disable]")));

            // the article and its actions are not disabled, so htmx acts on Edit and Delete
            Assert.False(article.HasAttribute("hx-disable"));
            Assert.Null(article.QuerySelector(".msg-actions")!.Closest("[hx-disable]"));
        }
    }

    [Fact]
    public void The_actions_are_plain_links_to_their_form_pages_and_carry_no_htmx_attributes()
    {
        // Every socket of the room receives every message: the script sends Edit and Delete through
        // htmx from the links' own URLs, so no message carries attributes for them.
        var article = Parse(MessageMarkup.Render(new MessageView(42, "u1", "Ada", "hi", At) { RoomSlug = "general" }));

        Assert.Equal("/rooms/general/@42", article.QuerySelector(".msg-link")!.GetAttribute("href"));
        Assert.Equal("/rooms/general/messages/42/edit", article.QuerySelector(".msg-edit")!.GetAttribute("href")); // without JavaScript: the form page
        Assert.Equal("/rooms/general/messages/42/delete", article.QuerySelector(".msg-delete")!.GetAttribute("href")); // without JavaScript: the confirmation page
        Assert.All(article.QuerySelectorAll(".msg-actions a"), a => Assert.DoesNotContain(a.Attributes, x => x.Name.StartsWith("hx-", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_deleted_message_has_no_actions_and_no_text()
    {
        var article = Parse(MessageMarkup.Render(new MessageView(5, "u1", "Ada", "", At, DeletedAt: At) { RoomSlug = "general" }));
        Assert.Null(article.QuerySelector(".msg-actions"));
        Assert.Equal("This message was deleted.", article.QuerySelector(".body")!.TextContent);
    }

    private static IElement Parse(string html)
    {
        var doc = new HtmlParser().ParseDocument("<!doctype html><body>" + html);
        return doc.QuerySelector("article")!;
    }

    [Fact]
    public void The_pushed_fragment_is_the_page_markup_wrapped_for_an_oob_append()
    {
        var m = new MessageView(42, "author-1", "Ada Lovelace", "Hello\nworld", At);
        var page = new StringWriter();
        MessageMarkup.Write(page, m);
        var fragment = Encoding.UTF8.GetString(MessageMarkup.RenderFragment(m));

        Assert.Equal($"<div id=\"messages\" hx-swap-oob=\"beforeend\">{page}</div>", fragment);
        Assert.Contains("id=\"m-42\"", fragment);
        Assert.Contains("data-seq=\"42\"", fragment);
        Assert.Contains("data-author-id=\"author-1\"", fragment);
        Assert.Contains("<time datetime=\"2026-11-23T09:30:05Z\">09:30</time>", fragment);
        Assert.Contains(">AL</span>", fragment);
    }

    [Theory]
    [InlineData("Ada Lovelace", "AL")]
    [InlineData("grace", "G")]
    [InlineData("  Jean  Claude Van Damme ", "JD")]
    [InlineData("", "?")]
    [InlineData("😀 Smile", "😀S")]
    public void Initials(string name, string expected) => Assert.Equal(expected, Avatar.Initials(name));
}

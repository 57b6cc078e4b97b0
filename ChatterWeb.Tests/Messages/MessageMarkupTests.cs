using System.Text;
using ChatterWeb.Accounts;
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
        var html = Encoding.UTF8.GetString(MessageMarkup.RenderFragment(new MessageView(7, "u1", hostile, hostile, At)));
        Assert.DoesNotContain(hostile, html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<svg", html);
        Assert.DoesNotContain("<div hx-get", html);
        Assert.Contains("hx-disable", html[..html.IndexOf("class=\"body\"", StringComparison.Ordinal)]);
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

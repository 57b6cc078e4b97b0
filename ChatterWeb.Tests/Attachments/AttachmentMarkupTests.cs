using System.Text;
using ChatterWeb.Attachments;
using ChatterWeb.Messages;

namespace ChatterWeb.Tests.Attachments;

public class AttachmentMarkupTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 30, 5, TimeSpan.Zero);
    private const string Id = "0123456789abcdef0123456789abcdef";

    private static string Render(AttachmentView a, string body = "", DateTimeOffset? deletedAt = null) =>
        Encoding.UTF8.GetString(MessageMarkup.RenderFragment(new MessageView(3, "u1", "Ada", body, At, DeletedAt: deletedAt, Attachment: a)));

    [Fact]
    public void An_image_is_inline_bounded_lazy_with_its_name_as_alt_text()
    {
        var html = Render(new AttachmentView(Id, "\"><script>alert(1)</script>.png", "image/png", 2048, 4000, 1000));
        Assert.Contains($"<figure class=\"attachment image\" hx-disable><a href=\"/attachments/{Id}\" target=\"_blank\" rel=\"noopener\"><img src=\"/attachments/{Id}\"", html);
        Assert.Contains("alt=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.png\"", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("width=\"360\" height=\"90\" loading=\"lazy\" decoding=\"async\">", html);
    }

    [Fact]
    public void Another_file_is_a_download_link_with_name_and_size()
    {
        var html = Render(new AttachmentView(Id, "Q3 <plan>.pdf", "application/pdf", 5 * 1024 * 1024 + 300 * 1024), body: "see attached");
        Assert.Contains($"<a class=\"attachment file\" href=\"/attachments/{Id}\" download hx-disable><span class=\"file-name\">Q3 &lt;plan&gt;.pdf</span> <span class=\"file-size\">5.3 MB</span></a>", html);
        Assert.Contains("<div class=\"body\" hx-disable><p>see attached</p></div>", html); // bodies are formatted (docs/MESSAGES.md)
        Assert.DoesNotContain("<img", html);
    }

    [Fact]
    public void A_deleted_message_shows_no_file()
    {
        Assert.DoesNotContain("/attachments/", Render(new AttachmentView(Id, "a.png", "image/png", 10, 1, 1), deletedAt: At));
    }

    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(1, "1 byte")]
    [InlineData(1023, "1023 bytes")]
    [InlineData(1024, "1 KB")]
    [InlineData(1536, "1.5 KB")]
    [InlineData(10 * 1024 * 1024, "10 MB")]
    [InlineData(123 * 1024 * 1024, "123 MB")]
    public void Sizes_read_like_people_write_them(long bytes, string expected)
    {
        Assert.Equal(expected, AttachmentMarkup.HumanSize(bytes));
    }

    [Theory]
    [InlineData(100, 50, 100, 50)] // small images are never scaled up
    [InlineData(720, 320, 360, 160)]
    [InlineData(300, 3000, 32, 320)] // tall: bounded by height
    [InlineData(100_000, 1, 360, 1)]
    public void Display_size_fits_the_bounds_and_keeps_the_shape(int w, int h, int ew, int eh)
    {
        Assert.Equal((ew, eh), AttachmentMarkup.DisplaySize(w, h));
        Assert.Null(AttachmentMarkup.DisplaySize(null, 10));
    }
}

using System.Text;
using ChatterWeb.Attachments;
using ChatterWeb.Messages;

namespace ChatterWeb.Tests.Attachments;

/// <summary>The type comes from the bytes, against an allowlist; names and claimed types play no part.</summary>
public class FileTypeTests
{
    private static FileType Detect(byte[] bytes) => FileType.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FileType.SniffLength)), bytes.Length);

    [Fact]
    public void Images_are_recognised_with_their_pixel_size()
    {
        Assert.Equal(new FileType("image/png", true, 640, 480), Detect(Samples.Png(640, 480)));
        Assert.Equal(new FileType("image/gif", true, 20, 10), Detect(Samples.Gif(20, 10)));
        Assert.Equal(new FileType("image/jpeg", true, 1024, 768), Detect(Samples.Jpeg(1024, 768)));
        Assert.Equal(new FileType("image/webp", true, 300, 200), Detect(Samples.WebPLossless(300, 200)));
    }

    [Fact]
    public void Documents_archives_and_plain_text_are_files()
    {
        Assert.Equal("application/pdf", Detect(Samples.Pdf()).ContentType);
        Assert.Equal("application/zip", Detect([.. "PK\x03\x04"u8, .. new byte[40]]).ContentType);
        Assert.Equal("application/gzip", Detect([0x1F, 0x8B, 8, 0, 0, 0, 0, 0]).ContentType);
        Assert.Equal("text/plain; charset=utf-8", Detect(Encoding.UTF8.GetBytes("Notes from Tuesday:\n- ship 2.4 ✓\n\tthen rest")).ContentType);
        Assert.All([Samples.Pdf(), Encoding.UTF8.GetBytes("hello")], b => Assert.False(Detect(b).IsImage));
    }

    [Theory]
    [InlineData("<html><script>alert(1)</script></html>")]
    [InlineData("  \n<!DOCTYPE html><p>hi")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")]
    [InlineData("<?xml version=\"1.0\"?><svg/>")]
    [InlineData("\uFEFF<script>alert(1)</script>")]
    public void Markup_is_never_text_or_an_image(string markup)
    {
        Assert.Same(FileType.Unknown, Detect(Encoding.UTF8.GetBytes(markup)));
    }

    [Fact]
    public void Executables_binary_junk_and_broken_headers_are_unknown()
    {
        Assert.Same(FileType.Unknown, Detect([(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0])); // a Windows executable
        Assert.Same(FileType.Unknown, Detect([0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]));
        Assert.Same(FileType.Unknown, Detect([0xC3, 0x28, 0x41, 0x42])); // not UTF-8
        Assert.Same(FileType.Unknown, Detect(Samples.Png()[..12])); // a PNG signature with no header after it
        Assert.Same(FileType.Unknown, Detect(Samples.Png(0, 5)));
        Assert.Same(FileType.Unknown, Detect([]));
    }

    [Fact]
    public void Text_cut_in_the_middle_of_a_character_by_the_sample_is_still_text()
    {
        // "a" then two-byte characters: the sample's last byte is the first half of one.
        var text = Encoding.UTF8.GetBytes("a" + new string('é', FileType.SniffLength));
        Assert.Equal(0xC3, text[FileType.SniffLength - 1]);
        var odd = text;
        Assert.Equal("text/plain; charset=utf-8", FileType.Detect(odd.AsSpan(0, FileType.SniffLength), odd.Length).ContentType);
    }

    [Theory]
    [InlineData("photo.png", "photo.png")]
    [InlineData("C:\\Users\\ada\\Desktop\\report.pdf", "report.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("invoice\u202Egnp.exe", "invoicegnp.exe")] // a right-to-left override would show "invoiceexe.png"
    [InlineData("a\r\nb\0c.txt", "abc.txt")]
    [InlineData("   ", "file")]
    [InlineData(null, "file")]
    [InlineData("Ünïcødé 📎.txt", "Ünïcødé 📎.txt")]
    public void File_names_are_cleaned(string? raw, string expected)
    {
        Assert.Equal(expected, UploadAttachment.CleanFileName(raw));
    }

    [Fact]
    public void Long_names_are_cut_without_splitting_a_surrogate_pair()
    {
        var name = UploadAttachment.CleanFileName(new string('a', 254) + "📎📎.txt");
        Assert.Equal(254, name.Length);
        Assert.True(Encoding.UTF8.GetByteCount(name) > 0 && !char.IsHighSurrogate(name[^1]));
    }
}

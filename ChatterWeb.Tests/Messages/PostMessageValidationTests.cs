using ChatterWeb.Data;
using ChatterWeb.Messages;

namespace ChatterWeb.Tests.Messages;

public class PostMessageValidationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t \n")]
    public void Empty_or_blank_is_rejected(string? body)
    {
        var (stored, error) = PostMessage.Validate(body);
        Assert.Null(stored);
        Assert.Equal(PostMessage.EmptyError, error);
    }

    [Fact]
    public void The_limit_is_4000_characters_inclusive()
    {
        Assert.Null(PostMessage.Validate(new string('a', Message.BodyMaxLength)).Error);
        Assert.Equal(PostMessage.TooLongError, PostMessage.Validate(new string('a', Message.BodyMaxLength + 1)).Error);
    }

    [Fact]
    public void Line_endings_are_normalised_and_trailing_space_trimmed()
    {
        Assert.Equal("one\ntwo\nthree", PostMessage.Validate("one\r\ntwo\rthree \n\n").Body);
        Assert.Equal("  indented code", PostMessage.Validate("  indented code").Body);
    }

    [Theory]
    [InlineData("0b6f8f6e-2f0e-4c4e-9d7e-3f2b1a0c9d8e", true)]
    [InlineData("abc_DEF-123", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("<script>", false)]
    public void Client_message_ids_are_short_and_plain(string id, bool valid)
    {
        Assert.Equal(valid, PostMessage.IsValidClientMessageId(id));
        Assert.False(PostMessage.IsValidClientMessageId(new string('a', Message.ClientMessageIdMaxLength + 1)));
    }
}

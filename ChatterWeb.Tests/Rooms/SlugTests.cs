using ChatterWeb.Rooms;

namespace ChatterWeb.Tests.Rooms;

public class SlugTests
{
    [Theory]
    [InlineData("General", "general")]
    [InlineData("Design Review – Q3!", "design-review-q3")]
    [InlineData("  Café  Crème ", "cafe-creme")]
    [InlineData("!!!", "room")]
    [InlineData("日本語", "room")]
    public void Slugs_are_lowercase_ascii_words(string name, string slug)
    {
        Assert.Equal(slug, RoomDirectory.Slugify(name));
        Assert.True(RoomDirectory.IsValidSlug(slug));
    }

    [Fact]
    public void Slugs_are_at_most_64_characters()
    {
        var slug = RoomDirectory.Slugify(new string('x', 100));
        Assert.Equal(64, slug.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("UPPER")]
    [InlineData("../etc")]
    [InlineData("a b")]
    public void Invalid_slugs_are_refused(string slug) => Assert.False(RoomDirectory.IsValidSlug(slug));
}

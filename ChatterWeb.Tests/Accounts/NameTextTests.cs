using ChatterWeb.Accounts;
using ChatterWeb.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

/// <summary>Names without what cannot be seen or turns text around; the key that says two names are the same.</summary>
public class NameTextTests
{
    [Theory]
    [InlineData("Alice\u200B A", "Alice A")] // zero-width space
    [InlineData("\u202EnimdA", "nimdA")] // right-to-left override
    [InlineData("Bob \u2066evil\u2069", "Bob evil")] // isolates
    [InlineData("\u200E\u200FCarol\uFEFF", "Carol")] // marks, byte-order mark
    [InlineData("Da\u00ADve", "Dave")] // soft hyphen
    [InlineData("Eve\u3164", "Eve")] // Hangul filler
    [InlineData("  Frank \u00A0\u2003  Smith  ", "Frank Smith")] // any spacing, once
    [InlineData("Gr\u0065\u0301ta", "Gr\u00E9ta")] // composed (NFC)
    [InlineData("\u200B\u200B\u200B", "")] // nothing visible: no name
    [InlineData("dev \U0001F469\u200D\U0001F4BB", "dev \U0001F469\u200D\U0001F4BB")] // an emoji's joiner stays
    [InlineData("Hal\U000E0041", "Hal")] // tag characters
    public void Clean_drops_invisible_and_bidi_characters(string typed, string stored) =>
        Assert.Equal(stored, NameText.Clean(typed));

    [Theory]
    [InlineData("General", "general")]
    [InlineData("General", "GENERAL\u200B")]
    [InlineData("Design  Review", "design review")]
    [InlineData("ｇｅｎｅｒａｌ", "general")] // fullwidth letters
    public void Names_that_differ_only_by_case_spacing_or_invisible_characters_fold_alike(string a, string b) =>
        Assert.Equal(NameText.Fold(a), NameText.Fold(b));

    [Fact]
    public void Different_names_fold_apart() => Assert.NotEqual(NameText.Fold("General"), NameText.Fold("Generals"));

    [Fact]
    public void A_person_tag_is_stable_short_and_differs_between_accounts()
    {
        Assert.Equal(PersonTag.For("account-one"), PersonTag.For("account-one"));
        Assert.Equal(PersonTag.Length, PersonTag.For("account-one").Length);
        var tags = Enumerable.Range(0, 200).Select(i => PersonTag.For(Guid.NewGuid().ToString())).ToHashSet();
        Assert.True(tags.Count >= 199);
    }
}

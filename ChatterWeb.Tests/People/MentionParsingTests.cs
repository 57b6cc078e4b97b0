using ChatterWeb.Messages;

namespace ChatterWeb.Tests.People;

/// <summary>The rules of <c>@Display Name</c>: who a body mentions, given the room's members.</summary>
public class MentionParsingTests
{
    private static readonly Mentionable Ada = new("id-ada", "Ada");
    private static readonly Mentionable AdaLovelace = new("id-adal", "Ada Lovelace");
    private static readonly Mentionable Grace = new("id-grace", "Grace Hopper");
    private static readonly Mentionable OtherGrace = new("id-grace2", "grace hopper");
    private static readonly Mentionable[] Room = [Ada, AdaLovelace, Grace];

    [Theory]
    [InlineData("@Grace Hopper can you look?", "id-grace")]
    [InlineData("ping @grace hopper", "id-grace")]                    // case-insensitive
    [InlineData("@Ada Lovelace and @Ada", "id-adal id-ada")]           // longest name wins, order of first mention
    [InlineData("@Ada, @Ada! @Ada", "id-ada")]                         // once each
    [InlineData("(@Grace Hopper)", "id-grace")]                        // punctuation around it
    [InlineData("@Adam is not Ada", null)]                             // a name must end at a non-word character
    [InlineData("mail ada@Ada.example", null)]                         // an email address is not a mention
    [InlineData("no mentions here", null)]
    [InlineData("@ alone", null)]
    [InlineData("@@Ada", "id-ada")]
    public void Parses_mentions_of_room_members(string body, string? expected) =>
        Assert.Equal(expected, Mentions.Parse(body, Room, authorId: "someone-else"));

    [Fact]
    public void The_author_is_never_their_own_mention() =>
        Assert.Equal("id-grace", Mentions.Parse("@Ada and @Grace Hopper", Room, authorId: "id-ada"));

    [Fact]
    public void People_with_the_same_name_are_all_mentioned() =>
        Assert.Equal("id-grace id-grace2", Mentions.Parse("@Grace Hopper hi", [Grace, OtherGrace], "x"));

    [Fact]
    public void Non_members_are_not_mentioned() =>
        Assert.Null(Mentions.Parse("@Linus hello", Room, "x"));

    [Fact]
    public void At_most_the_limit_of_people_per_message()
    {
        var many = Enumerable.Range(0, 30).Select(i => new Mentionable($"id{i}", $"P{i}")).ToList();
        var body = string.Join(' ', many.Select(m => "@" + m.DisplayName));
        Assert.Equal(Mentions.Limit, Mentions.Parse(body, many, "x")!.Split(' ').Length);
    }

    [Fact]
    public void Includes_matches_whole_ids_only()
    {
        Assert.True(Mentions.Includes("a b c", "b"));
        Assert.False(Mentions.Includes("abc", "b"));
        Assert.False(Mentions.Includes(null, "b"));
    }
}

using ChatterWeb.Data;

namespace ChatterWeb.Messages;

/// <summary>
/// The room-wide mentions in a body: <c>@here</c>, and <c>@room</c> with the synonyms people bring from
/// other chats (<c>@channel</c>, <c>@everyone</c>). Like a name, a keyword starts after a non-word
/// character (not in an email address) and ends at one, in any case. <c>@room</c> wins over <c>@here</c>.
/// </summary>
public static class RoomWide
{
    public static readonly string[] RoomWords = ["room", "channel", "everyone"];
    public const string HereWord = "here";

    public static RoomMention Find(string body)
    {
        var found = RoomMention.None;
        for (var i = body.IndexOf('@'); i >= 0; i = body.IndexOf('@', i + 1))
        {
            if (i > 0 && IsWordChar(body[i - 1]))
                continue;
            var rest = body.AsSpan(i + 1);
            foreach (var word in RoomWords)
                if (IsWord(rest, word))
                    return RoomMention.Room;
            if (IsWord(rest, HereWord))
                found = RoomMention.Here;
        }
        return found;
    }

    private static bool IsWord(ReadOnlySpan<char> rest, string word) =>
        rest.StartsWith(word, StringComparison.OrdinalIgnoreCase) && (rest.Length == word.Length || !IsWordChar(rest[word.Length]));

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>The keyword as people type it, for messages to the sender.</summary>
    public static string Word(RoomMention kind) => kind == RoomMention.Here ? "@here" : "@room";

    public static string TooBigError(RoomMention kind, int max) =>
        $"{Word(kind)} can only be used in rooms of at most {max:N0} members, and this room has more. Mention people by name, or remove {Word(kind)}.";

    public static string TooSoonError(RoomMention kind, TimeSpan interval) =>
        $"You used @here or @room in this room less than {Minutes(interval)} ago. Send it without {Word(kind)}, or wait a little.";

    public static string Confirmation(RoomMention kind, int people) =>
        $"{Word(kind)} will notify {People(people)}. Send it?";

    public static string People(int n) => n == 1 ? "1 person" : $"{n:N0} people";

    private static string Minutes(TimeSpan t) => t.TotalMinutes >= 1
        ? (t.TotalMinutes == 1 ? "a minute" : $"{t.TotalMinutes:0.#} minutes")
        : $"{t.TotalSeconds:0} seconds";
}

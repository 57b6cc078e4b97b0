using System.Text.RegularExpressions;

namespace ChatterWeb.Bots;

/// <summary>
/// A bot's slash commands: each 1 to 32 of <c>a-z 0-9 _ -</c>, starting with a letter or digit, at most
/// <see cref="MaxCount"/>. A message calls the command when it starts with <c>/name</c> followed by the
/// end of the text or a space (<c>/deploy prod</c> calls <c>deploy</c>; <c>/deployed</c> does not).
/// </summary>
public static partial class BotCommands
{
    public const int MaxCount = 10;

    /// <summary>
    /// "/deploy, status" → "deploy status" (stored form: lower case, without slashes, no repeats);
    /// null when a word is not a command name or there are too many.
    /// </summary>
    public static string? Normalize(string? input)
    {
        var words = (input ?? "").Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.TrimStart('/').ToLowerInvariant()).Distinct().ToList();
        if (words.Count > MaxCount || words.Any(w => !Name().IsMatch(w)))
            return null;
        return string.Join(' ', words);
    }

    /// <summary>The command <paramref name="body"/> starts with, among the stored <paramref name="commands"/>; null when none.</summary>
    public static string? Match(string commands, string body)
    {
        if (commands.Length == 0 || body.Length < 2 || body[0] != '/')
            return null;
        var end = body.AsSpan(1).IndexOfAny(' ', '\n', '\t');
        var word = end < 0 ? body[1..] : body[1..(end + 1)];
        foreach (var command in commands.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(command, word, StringComparison.OrdinalIgnoreCase))
                return command;
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial Regex Name();
}

using System.Collections.Frozen;

namespace ChatterWeb.Data;

/// <summary>
/// The emoji a message can be reacted with: a fixed set, each with the name the picker searches and
/// the reaction's accessible label says. Anything else is refused, so a reaction never carries
/// arbitrary text.
/// </summary>
public static class ReactionEmoji
{
    /// <summary>In the picker's order (the most used first).</summary>
    public static readonly IReadOnlyList<(string Emoji, string Name)> All =
    [
        ("👍", "thumbs up"), ("👎", "thumbs down"), ("❤️", "red heart"), ("😂", "face with tears of joy"),
        ("🎉", "party popper"), ("😮", "face with open mouth"), ("😢", "crying face"), ("🙏", "folded hands"),
        ("👀", "eyes"), ("✅", "check mark"), ("❌", "cross mark"), ("🔥", "fire"),
        ("🚀", "rocket"), ("💯", "hundred points"), ("👏", "clapping hands"), ("🙌", "raising hands"),
        ("😄", "grinning face with smiling eyes"), ("😅", "grinning face with sweat"), ("🤔", "thinking face"), ("😍", "smiling face with heart eyes"),
        ("😎", "smiling face with sunglasses"), ("🙂", "slightly smiling face"), ("😬", "grimacing face"), ("😴", "sleeping face"),
        ("🤯", "exploding head"), ("🥳", "partying face"), ("🤝", "handshake"), ("💪", "flexed biceps"),
        ("👋", "waving hand"), ("👌", "ok hand"), ("✨", "sparkles"), ("⭐", "star"),
        ("💡", "light bulb"), ("⚠️", "warning"), ("❓", "question mark"), ("➕", "plus"),
        ("🐛", "bug"), ("☕", "hot beverage"), ("🍕", "pizza"), ("🎂", "birthday cake"),
    ];

    private static readonly FrozenDictionary<string, string> Names = All.ToFrozenDictionary(e => e.Emoji, e => e.Name, StringComparer.Ordinal);

    /// <summary>Its name, or null when it is not in the set.</summary>
    public static string? NameOf(string emoji) => Names.GetValueOrDefault(emoji);

    public static bool IsAllowed(string? emoji) => emoji is not null && Names.ContainsKey(emoji);

    /// <summary>The set's emoji whose name (or the emoji itself) contains <paramref name="query"/>, in the picker's order.</summary>
    public static IEnumerable<(string Emoji, string Name)> Search(string? query)
    {
        var q = query?.Trim();
        return string.IsNullOrEmpty(q) ? All : All.Where(e => e.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || e.Emoji == q);
    }
}

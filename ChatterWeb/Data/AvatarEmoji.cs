using System.Collections.Frozen;

namespace ChatterWeb.Data;

/// <summary>
/// The avatars a bot or an incoming webhook can wear instead of its initials: a fixed set of emoji,
/// each with the name the choice shows. Anything else is refused, so an avatar never carries
/// arbitrary text or a link to fetch.
/// </summary>
public static class AvatarEmoji
{
    /// <summary>In the choice's order.</summary>
    public static readonly IReadOnlyList<(string Emoji, string Name)> All =
    [
        ("🤖", "robot"), ("🚀", "rocket"), ("🔔", "bell"), ("📣", "megaphone"),
        ("🚨", "police light"), ("⚠️", "warning"), ("✅", "check mark"), ("📈", "chart"),
        ("📊", "bar chart"), ("🛠️", "hammer and wrench"), ("⚙️", "gear"), ("📦", "package"),
        ("🧪", "test tube"), ("🐛", "bug"), ("🔒", "lock"), ("☁️", "cloud"),
        ("🌐", "globe"), ("🗓️", "calendar"), ("📬", "mailbox"), ("💡", "light bulb"),
        ("🔥", "fire"), ("⭐", "star"), ("🐙", "octopus"), ("🦊", "fox"),
        ("🐳", "whale"), ("🦉", "owl"), ("🐝", "bee"), ("☕", "hot beverage"),
    ];

    private static readonly FrozenDictionary<string, string> Names = All.ToFrozenDictionary(e => e.Emoji, e => e.Name, StringComparer.Ordinal);

    public static bool IsAllowed(string? emoji) => emoji is not null && Names.ContainsKey(emoji);

    /// <summary>Its name, or null when it is not in the set.</summary>
    public static string? NameOf(string emoji) => Names.GetValueOrDefault(emoji);

    /// <summary>
    /// What a form's choice means: empty is "initials" (null), an emoji of the set is itself, anything
    /// else is refused (<c>Ok</c> false).
    /// </summary>
    public static (bool Ok, string? Avatar) Parse(string? chosen) =>
        string.IsNullOrEmpty(chosen) ? (true, null) : IsAllowed(chosen) ? (true, chosen) : (false, null);

    public const string RefusedError = "Choose the avatar from the list (or initials).";
}

using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// <c>@Display Name</c> mentions: an <c>@</c> at the start or after a non-word character, followed by
/// a room member's display name (case-insensitive) that ends at a non-word character. The longest
/// name wins ("@Ada Lovelace" is Ada Lovelace, not "Ada"); people with the same name are all
/// mentioned. The author is never their own mention. At most <see cref="Limit"/> people per message.
/// </summary>
public static class Mentions
{
    public const int Limit = 20;

    /// <summary>The mentioned user ids, space-separated in order of first mention; null when none.</summary>
    public static string? Parse(string body, IReadOnlyList<Mentionable> members, string authorId)
    {
        if (!body.Contains('@') || members.Count == 0)
            return null;
        var found = new List<string>();
        for (var i = body.IndexOf('@'); i >= 0 && found.Count < Limit; i = body.IndexOf('@', i + 1))
        {
            if (i > 0 && IsWordChar(body[i - 1]))
                continue; // an email address, not a mention
            var rest = body.AsSpan(i + 1);
            var best = 0;
            List<string>? who = null;
            foreach (var m in members)
            {
                var name = m.DisplayName;
                if (name.Length == 0 || name.Length < best || !rest.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                    continue;
                if (rest.Length > name.Length && IsWordChar(rest[name.Length]))
                    continue; // "@Adam" does not mention "Ada"
                if (name.Length > best)
                {
                    best = name.Length;
                    who = [];
                }
                who!.Add(m.UserId);
            }
            foreach (var id in who ?? [])
                if (id != authorId && !found.Contains(id))
                    found.Add(id);
        }
        var joined = string.Join(' ', found.Take(Limit));
        return joined.Length == 0 ? null : joined;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>True when <paramref name="mentions"/> (as stored) names <paramref name="userId"/>.</summary>
    public static bool Includes(string? mentions, string userId) =>
        mentions is not null && mentions.Split(' ').Contains(userId);
}

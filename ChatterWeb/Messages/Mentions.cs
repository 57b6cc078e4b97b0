using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>A member of a room as mentions need them.</summary>
public sealed record Mentionable(string UserId, string DisplayName);

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

/// <summary>The room's members, for parsing mentions and for the <c>@</c> suggestions.</summary>
public sealed class MentionCandidates(ChatterDbContext db)
{
    public const int SuggestionLimit = 8;

    public Task<List<Mentionable>> MembersAsync(long roomId, CancellationToken ct = default) =>
        (from m in db.Memberships.AsNoTracking()
         join u in db.Users on m.UserId equals u.Id
         where m.RoomId == roomId
         select new Mentionable(u.Id, u.DisplayName)).ToListAsync(ct);

    /// <summary>Mentions in a body about to be stored (no query unless it has an <c>@</c>).</summary>
    public async Task<string?> ParseAsync(long roomId, string body, string authorId, CancellationToken ct = default) =>
        body.Contains('@') ? Mentions.Parse(body, await MembersAsync(roomId, ct), authorId) : null;

    /// <summary>Members (not the asker) whose name contains <paramref name="query"/>, names starting with it first.</summary>
    public async Task<List<Mentionable>> SuggestAsync(long roomId, string userId, string? query, CancellationToken ct = default)
    {
        var q = (query ?? "").Trim().ToLowerInvariant();
        if (q.Length > ChatUser.DisplayNameMaxLength)
            return [];
        var found = await (from m in db.Memberships.AsNoTracking()
                           join u in db.Users on m.UserId equals u.Id
                           where m.RoomId == roomId && u.Id != userId && (q == "" || u.DisplayName.ToLower().Contains(q))
                           orderby u.DisplayName
                           select new Mentionable(u.Id, u.DisplayName)).Take(50).ToListAsync(ct);
        return [.. found
            .OrderBy(m => m.DisplayName.StartsWith(q, StringComparison.OrdinalIgnoreCase) ? 0
                : m.DisplayName.Split(' ').Any(w => w.StartsWith(q, StringComparison.OrdinalIgnoreCase)) ? 1 : 2)
            .ThenBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase)
            .Take(SuggestionLimit)];
    }
}

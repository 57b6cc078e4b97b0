using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

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

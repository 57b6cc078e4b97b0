using ChatterWeb.Data;
using ChatterWeb.Integrations;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Bots;

/// <summary>
/// A bot's API tokens, for the bot to call <c>/api/v1</c> as itself (a later reply, a message of its
/// own). They are rows of the same <see cref="ApiToken"/> table as personal tokens, made the same way
/// (<see cref="SecretToken.New"/> with <see cref="SecretToken.ApiPrefix"/>, only <see cref="SecretToken.Hash"/>
/// stored), so the API's bearer authentication knows no difference. The token is returned once.
/// </summary>
public sealed class BotTokens(ChatterDbContext db, TimeProvider time)
{
    public const string Read = "read";
    public const string Post = "post";
    public const int MaxPerBot = 20;

    /// <summary>The scopes as stored ("read post"), known ones only, in that order; empty when none.</summary>
    public static string Scopes(IEnumerable<string?> chosen)
    {
        var wanted = chosen.Where(s => s is not null).Select(s => s!.Trim().ToLowerInvariant()).ToHashSet();
        return string.Join(' ', new[] { Read, Post }.Where(wanted.Contains));
    }

    public Task<List<BotTokenRow>> ListAsync(string botUserId, CancellationToken ct = default) =>
        db.ApiTokens.AsNoTracking().Where(t => t.UserId == botUserId).OrderBy(t => t.Id)
            .Select(t => new BotTokenRow(t.Id, t.Name, t.Scopes, t.CreatedAt, t.LastUsedAt)).ToListAsync(ct);

    public async Task<(BotTokenRow Row, string Token)> CreateAsync(string botUserId, string name, string scopes, CancellationToken ct = default)
    {
        var token = SecretToken.New(SecretToken.ApiPrefix);
        var row = new ApiToken
        {
            UserId = botUserId,
            Name = name,
            Scopes = scopes,
            TokenHash = SecretToken.Hash(token),
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(ct);
        return (new BotTokenRow(row.Id, row.Name, row.Scopes, row.CreatedAt, null), token);
    }

    public async Task<bool> RevokeAsync(string botUserId, long tokenId, CancellationToken ct = default) =>
        await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == botUserId).ExecuteDeleteAsync(ct) == 1;
}

using ChatterWeb.Data;
using ChatterWeb.Integrations;
using ChatterWeb.Integrations.Api;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Bots;

/// <summary>
/// A bot's API tokens, for the bot to call <c>/api/v1</c> as itself (a later reply, a message of its
/// own). They are personal tokens of the bot's account, made and revoked by <see cref="ApiTokens"/>
/// (only the hash stored, the token returned once, no expiry), so the API's bearer authentication
/// knows no difference.
/// </summary>
public sealed class BotTokens(ChatterDbContext db, ApiTokens tokens)
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
        var (row, token) = await tokens.CreateAsync(botUserId, name, scopes, expiresAt: null, ct);
        return (new BotTokenRow(row.Id, row.Name, row.Scopes, row.CreatedAt, null), token);
    }

    public Task<bool> RevokeAsync(string botUserId, long tokenId, CancellationToken ct = default) => tokens.RevokeAsync(botUserId, tokenId, ct);
}

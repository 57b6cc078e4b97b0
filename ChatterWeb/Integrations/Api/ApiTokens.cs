using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Integrations.Api;

/// <summary>
/// Personal API tokens and bots' tokens: made (the token returned once, only its SHA-256 stored),
/// listed, revoked (the row deleted) and looked up for a request.
/// </summary>
public sealed class ApiTokens(ChatterDbContext db, TimeProvider time)
{
    /// <summary>Most tokens one account may hold: a leak-by-accident brake, not a quota anyone should meet.</summary>
    public const int MaxPerAccount = 50;

    public Task<List<ApiTokenRow>> ListAsync(string userId, CancellationToken ct = default) =>
        db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderBy(t => t.Id)
            .Select(t => new ApiTokenRow(t.Id, t.Name, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt)).ToListAsync(ct);

    public Task<int> CountAsync(string userId, CancellationToken ct = default) => db.ApiTokens.CountAsync(t => t.UserId == userId, ct);

    /// <summary>A new token for <paramref name="userId"/>; the token is returned once and never stored.</summary>
    public async Task<(ApiTokenRow Row, string Token)> CreateAsync(string userId, string name, string scopes, DateTimeOffset? expiresAt, CancellationToken ct = default)
    {
        var token = SecretToken.New(SecretToken.ApiPrefix);
        var row = new ApiToken
        {
            UserId = userId,
            Name = name,
            Scopes = scopes,
            TokenHash = SecretToken.Hash(token),
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(ct);
        return (new ApiTokenRow(row.Id, row.Name, row.Scopes, row.CreatedAt, row.ExpiresAt, null), token);
    }

    /// <summary>Revokes one of <paramref name="userId"/>'s tokens (at once: every request looks the token up); false when it has no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, long tokenId, CancellationToken ct = default) =>
        await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId).ExecuteDeleteAsync(ct) == 1;

    /// <summary>The caller this token speaks for; null when it is not a token, unknown, revoked or expired.</summary>
    public async Task<ApiCaller?> FindAsync(string token, CancellationToken ct = default)
    {
        if (!SecretToken.IsWellFormed(token, SecretToken.ApiPrefix))
            return null;
        var hash = SecretToken.Hash(token);
        var found = await (from t in db.ApiTokens.AsNoTracking()
                           where t.TokenHash == hash
                           join u in db.Users on t.UserId equals u.Id
                           where u.DeactivatedAt == null // a deactivated account's tokens open nothing (they work again on reactivation)
                           select new { t.Id, t.UserId, u.DisplayName, u.IsBot, u.Avatar, t.Scopes, t.ExpiresAt, t.LastUsedAt }).SingleOrDefaultAsync(ct);
        if (found is null)
            return null;
        var now = time.GetUtcNow();
        if (found.ExpiresAt is { } expires && expires <= now)
            return null;
        // "Last used" to the minute is enough for the owner's list, and costs one write a minute per token at most.
        if (found.LastUsedAt is not { } last || now - last >= TimeSpan.FromMinutes(1))
            await db.ApiTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now), ct);
        return new ApiCaller(found.Id, found.UserId, found.DisplayName, found.IsBot, found.Scopes, found.LastUsedAt, found.Avatar);
    }
}

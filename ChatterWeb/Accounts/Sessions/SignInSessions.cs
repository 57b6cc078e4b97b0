using System.Security.Cryptography;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Accounts.Sessions;

/// <summary>
/// The server's list of signed-in browsers (<see cref="SignInSession"/>). Each call works in a scope
/// of its own, so a socket's long-lived request scope never keeps a DbContext for it.
/// </summary>
public sealed class SignInSessions(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>How stale <see cref="SignInSession.LastSeenAt"/> may get before a request writes it again.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    public async Task<string> StartAsync(string userId, string? userAgent, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var session = new SignInSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SignInSession.IdLength / 2)),
            UserId = userId,
            CreatedAt = now,
            LastSeenAt = now,
            UserAgent = Cut(userAgent ?? ""),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session.Id;
    }

    /// <summary>True while the session exists, belongs to <paramref name="userId"/> and has not ended; notes that it was seen.</summary>
    public async Task<bool> IsActiveAsync(string sessionId, string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        var row = await db.SignInSessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Select(s => new { s.UserId, s.EndedAt, s.LastSeenAt })
            .SingleOrDefaultAsync(ct);
        if (row is null || row.EndedAt is not null || row.UserId != userId)
            return false;
        var now = time.GetUtcNow();
        if (now - row.LastSeenAt > LastSeenResolution)
            await db.SignInSessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), ct);
        return true;
    }

    /// <summary>The person's sessions that have not ended, most recently seen first.</summary>
    public async Task<IReadOnlyList<SignInSession>> ActiveAsync(string userId, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        var rows = await db.SignInSessions.AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null).ToListAsync(ct);
        return [.. rows.OrderByDescending(s => s.LastSeenAt)];
    }

    /// <summary>Ends one session of <paramref name="userId"/>; false when there was no such active session.</summary>
    public async Task<bool> EndAsync(string userId, string sessionId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        return await db.SignInSessions.Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct) > 0;
    }

    /// <summary>Ends every session of the person (sign out everywhere, a new password, deactivation); returns how many.</summary>
    public async Task<int> EndAllAsync(string userId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        return await db.SignInSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct);
    }

    private static string Cut(string userAgent) =>
        userAgent.Length <= SignInSession.UserAgentMaxLength ? userAgent : userAgent[..SignInSession.UserAgentMaxLength];
}

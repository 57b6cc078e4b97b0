using ChatterWeb.Accounts.Audit;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Admin;

/// <summary>
/// Invitations waiting for their account, read from the audit trail (an invitation is a signed link,
/// not a row: <c>Accounts/Invites</c>): every address with an <c>invitation-sent</c> entry and no
/// account, newest first.
/// </summary>
public sealed class Invitations(ChatterDbContext db)
{
    public const int Shown = 50;

    public async Task<IReadOnlyList<PendingInvitation>> PendingAsync(CancellationToken ct)
    {
        var latest = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Action == AuditActions.InvitationSent)
            .GroupBy(e => e.Subject)
            .Select(g => new { Email = g.Key, LastId = g.Max(e => e.Id) })
            .OrderByDescending(x => x.LastId)
            .Take(Shown * 4)
            .ToListAsync(ct);
        var normalized = latest.Select(x => x.Email.ToUpperInvariant()).ToList();
        var taken = (await db.Users.AsNoTracking().Where(u => normalized.Contains(u.NormalizedEmail!)).Select(u => u.NormalizedEmail!).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var waiting = latest.Where(x => !taken.Contains(x.Email.ToUpperInvariant())).Take(Shown).ToList();
        var ids = waiting.Select(x => x.LastId).ToList();
        var at = await db.AuditEntries.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.At }).ToDictionaryAsync(e => e.Id, e => e.At, ct);
        return [.. waiting.Select(x => new PendingInvitation(x.Email, at[x.LastId]))];
    }

    public async Task<bool> IsPendingAsync(string email, CancellationToken ct) =>
        (await PendingAsync(ct)).Any(p => string.Equals(p.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));
}

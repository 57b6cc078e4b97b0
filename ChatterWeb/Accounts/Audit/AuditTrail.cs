using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Accounts.Audit;

/// <summary>
/// Appends to the audit trail (<see cref="AuditEntry"/>) and reads it back for <c>/admin/audit</c>.
/// Writes in a scope of its own, so an entry is stored even when the caller's own work failed.
/// </summary>
public sealed class AuditTrail(IServiceScopeFactory scopes, TimeProvider time)
{
    public const int PageSize = 100;

    public async Task RecordAsync(string action, HttpContext? http, string? subjectId, string subject, string detail = "", string? actorId = null)
    {
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            Action = action,
            ActorId = actorId ?? http?.User.UserId(),
            SubjectId = subjectId,
            Subject = Cut(subject, AuditEntry.NameMaxLength),
            Detail = Cut(detail, AuditEntry.DetailMaxLength),
            Address = Cut(http?.Connection.RemoteIpAddress?.ToString() ?? "", AuditEntry.AddressMaxLength),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// Newest first, <see cref="PageSize"/> at a time before <paramref name="beforeId"/>: entries where the
    /// person is the actor or the subject, of one action, within [from, to). With <paramref name="subject"/>
    /// too, entries whose subject was typed as that text count for the person (a failed sign-in as an
    /// address that has no account has only that).
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> FindAsync(string? personId, string? action, DateTimeOffset? from, DateTimeOffset? to, long? beforeId, CancellationToken ct, string? subject = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        var q = db.AuditEntries.AsNoTracking();
        if (personId is not null && subject is not null)
            q = q.Where(e => e.ActorId == personId || e.SubjectId == personId || e.Subject == subject);
        else if (personId is not null)
            q = q.Where(e => e.ActorId == personId || e.SubjectId == personId);
        else if (subject is not null)
            q = q.Where(e => e.Subject == subject);
        if (action is not null)
            q = q.Where(e => e.Action == action);
        if (beforeId is not null)
            q = q.Where(e => e.Id < beforeId);
        // Every time stored is UTC (on SQLite as ticks, which order as the times do).
        if (from is { } f)
            q = q.Where(e => e.At >= f.ToUniversalTime());
        if (to is { } t)
            q = q.Where(e => e.At < t.ToUniversalTime());
        return await q.OrderByDescending(e => e.Id).Take(PageSize).ToListAsync(ct);
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}

using ChatterWeb.Accounts;
using ChatterWeb.Accounts.Audit;
using ChatterWeb.Accounts.Sessions;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Admin;

/// <summary>
/// What <c>/admin/people</c> does to accounts: find them, deactivate and reactivate them, grant and
/// revoke the administrator role. Every change is written to the audit trail.
/// </summary>
public sealed class PeopleAdministration(
    ChatterDbContext db,
    UserManager<ChatUser> users,
    Administrators admins,
    SignInSessions sessions,
    ISocketControl sockets,
    AuditTrail audit,
    TimeProvider time)
{
    public const int PageSize = 50;

    /// <summary>Accounts whose name or email contains <paramref name="query"/> (all when blank), by name, at most <see cref="PageSize"/>.</summary>
    public async Task<IReadOnlyList<PersonRow>> SearchAsync(string? query, CancellationToken ct)
    {
        var q = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query))
        {
            var lower = query.Trim().ToLowerInvariant();
            var upper = query.Trim().ToUpperInvariant();
            q = q.Where(u => u.DisplayName.ToLower().Contains(lower) || u.NormalizedEmail!.Contains(upper));
        }
        var found = await q.OrderBy(u => u.DisplayName).ThenBy(u => u.Email).Take(PageSize)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.EmailConfirmed, u.DeactivatedAt })
            .ToListAsync(ct);
        var ids = found.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        return [.. found.Select(u =>
        {
            var why = new List<Administrators.Reason>();
            if (roles.Any(r => r.UserId == u.Id && r.Name == Administrators.Role))
                why.Add(Administrators.Reason.FirstAccount);
            if (admins.IsConfigured(u.Email))
                why.Add(Administrators.Reason.Configured);
            if (roles.Any(r => r.UserId == u.Id && r.Name == Administrators.DirectoryRole))
                why.Add(Administrators.Reason.DirectoryGroup);
            return new PersonRow(u.Id, u.DisplayName, u.Email ?? "", u.EmailConfirmed, u.DeactivatedAt, why);
        })];
    }

    /// <summary>
    /// The account can no longer sign in (<see cref="ChatterSignInManager"/>), every session of it ends
    /// (its cookies are refused from the next request on, on every instance: the session table is
    /// shared), and every socket of it closes on every instance (<see cref="ISocketControl"/>, 1008).
    /// Its messages stay, under its name.
    /// </summary>
    public async Task<AdminOutcome> DeactivateAsync(string? userId, HttpContext http)
    {
        if (userId is null || await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.NotFound;
        if (user.Id == http.User.UserId())
            return AdminOutcome.NotOnYourself;
        if (user.DeactivatedAt is not null)
            return AdminOutcome.Unchanged;
        user.DeactivatedAt = time.GetUtcNow();
        // Saves DeactivatedAt with a new stamp: a cookie of a session that somehow outlived the next
        // line would fail its stamp check too.
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
            throw new InvalidOperationException("The account could not be deactivated: " + string.Join("; ", saved.Errors.Select(e => e.Code)));
        var ended = await sessions.EndAllAsync(user.Id, CancellationToken.None);
        await sockets.CloseUserAsync(user.Id, "deactivated");
        await audit.RecordAsync(AuditActions.Deactivated, http, user.Id, user.Email ?? "", $"{ended} session(s) ended");
        return AdminOutcome.Done;
    }

    /// <summary>The account can sign in again (its old sessions stay ended: the person signs in afresh).</summary>
    public async Task<AdminOutcome> ReactivateAsync(string? userId, HttpContext http)
    {
        if (userId is null || await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.NotFound;
        if (user.DeactivatedAt is null)
            return AdminOutcome.Unchanged;
        user.DeactivatedAt = null;
        var saved = await users.UpdateAsync(user);
        if (!saved.Succeeded)
            throw new InvalidOperationException("The account could not be reactivated: " + string.Join("; ", saved.Errors.Select(e => e.Code)));
        await audit.RecordAsync(AuditActions.Reactivated, http, user.Id, user.Email ?? "");
        return AdminOutcome.Done;
    }

    public async Task<AdminOutcome> GrantAsync(string? userId, HttpContext http)
    {
        if (userId is null || await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.NotFound;
        if (!await admins.GrantAsync(user))
            return AdminOutcome.Unchanged;
        await audit.RecordAsync(AuditActions.AdminGranted, http, user.Id, user.Email ?? "");
        return AdminOutcome.Done;
    }

    public async Task<AdminOutcome> RevokeAsync(string? userId, HttpContext http)
    {
        if (userId is null || await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.NotFound;
        if (user.Id == http.User.UserId())
            return AdminOutcome.NotOnYourself;
        if (!await admins.RevokeAsync(user))
            return AdminOutcome.Unchanged;
        var still = await admins.ReasonsAsync(user);
        await audit.RecordAsync(AuditActions.AdminRevoked, http, user.Id, user.Email ?? "",
            still.Count == 0 ? "" : "still an administrator by " + string.Join(", ", still.Select(IndexModel.Why)));
        return AdminOutcome.Done;
    }
}

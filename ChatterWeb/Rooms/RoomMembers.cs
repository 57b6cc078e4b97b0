using ChatterWeb.Data;
using ChatterWeb.Delivery;
using ChatterWeb.Mail;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Rooms;

/// <summary>
/// Who belongs to a room. In a closed room the creator adds people by email and removes them;
/// a removed member's open sockets in that room are closed at once (1008: htmx stays closed).
/// </summary>
public sealed class RoomMembers(ChatterDbContext db, ISocketControl sockets, TimeProvider time, MailLinks mail)
{
    /// <summary>
    /// The members by name. Email addresses are private: each member's is read only for
    /// <paramref name="viewerId"/> themselves, or for everyone when <paramref name="allEmails"/> (the
    /// viewer is an administrator); the others come back as "" (never leaving the database).
    /// </summary>
    public Task<List<MemberInfo>> ListAsync(long roomId, string viewerId, bool allEmails, CancellationToken ct = default) =>
        (from m in db.Memberships.AsNoTracking()
         join u in db.Users on m.UserId equals u.Id
         where m.RoomId == roomId
         orderby u.DisplayName
         select new MemberInfo(u.Id, u.DisplayName, allEmails || u.Id == viewerId ? u.Email ?? "" : "", m.JoinedAt)).ToListAsync(ct);

    public Task<bool> CanManageAsync(long roomId, string userId, CancellationToken ct = default) =>
        db.Rooms.AnyAsync(r => r.Id == roomId && r.Kind == RoomKind.Closed && r.CreatedById == userId, ct);

    /// <summary>
    /// Adds the account with this email. With mail on, only once the account has confirmed the address
    /// (without mail nothing can be confirmed, and the address is taken as given).
    /// </summary>
    public async Task<AddMemberResult> AddByEmailAsync(long roomId, string email, CancellationToken ct = default)
    {
        var normalized = email.Trim().ToUpperInvariant();
        var account = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => new { u.Id, u.EmailConfirmed }).SingleOrDefaultAsync(ct);
        if (account is null)
            return AddMemberResult.NoAccount;
        if (mail.Enabled && !account.EmailConfirmed)
            return AddMemberResult.Unverified;
        var userId = account.Id;
        if (!await db.Memberships.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, ct))
        {
            db.Memberships.Add(new Membership { RoomId = roomId, UserId = userId, JoinedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(ct);
        }
        return AddMemberResult.Added;
    }

    public async Task RemoveAsync(long roomId, string userId, CancellationToken ct = default)
    {
        await db.Memberships.Where(m => m.RoomId == roomId && m.UserId == userId).ExecuteDeleteAsync(ct);
        await sockets.CloseUserAsync(userId, "removed from the room", roomId);
    }
}

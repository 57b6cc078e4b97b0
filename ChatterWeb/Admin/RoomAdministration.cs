using ChatterWeb.Accounts.Audit;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Admin;

/// <summary>
/// What <c>/admin/rooms</c> does to open and closed rooms (direct messages are their people's
/// business and are not listed): rename, delete with every message and file, and change a closed
/// room's members. Every change is written to the audit trail.
/// </summary>
public sealed partial class RoomAdministration(
    ChatterDbContext db,
    RoomMembers members,
    IAttachmentStore files,
    ISocketControl sockets,
    AuditTrail audit,
    ILogger<RoomAdministration> logger)
{
    public async Task<IReadOnlyList<RoomRow>> ListAsync(string? query, CancellationToken ct)
    {
        var q = db.Rooms.AsNoTracking().Where(r => r.Kind != RoomKind.Direct);
        if (!string.IsNullOrWhiteSpace(query))
        {
            var lower = query.Trim().ToLowerInvariant();
            q = q.Where(r => r.Name.ToLower().Contains(lower) || r.Slug.Contains(lower));
        }
        return await q.OrderBy(r => r.Name).ThenBy(r => r.Id)
            .Select(r => new RoomRow(r.Id, r.Slug, r.Name, r.Kind, r.LastSeq, db.Memberships.Count(m => m.RoomId == r.Id), r.ArchivedAt))
            .ToListAsync(ct);
    }

    public Task<RoomRow?> FindAsync(long id, CancellationToken ct) =>
        db.Rooms.AsNoTracking().Where(r => r.Id == id && r.Kind != RoomKind.Direct)
            .Select(r => new RoomRow(r.Id, r.Slug, r.Name, r.Kind, r.LastSeq, db.Memberships.Count(m => m.RoomId == r.Id), r.ArchivedAt))
            .SingleOrDefaultAsync(ct);

    /// <summary>A new name (the slug, and so every link to the room, stays).</summary>
    public async Task<AdminOutcome> RenameAsync(long id, string? name, HttpContext http)
    {
        var ct = http.RequestAborted;
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > Room.NameMaxLength || name.Any(char.IsControl))
            return AdminOutcome.Invalid;
        if (await FindAsync(id, ct) is not { } room)
            return AdminOutcome.NotFound;
        if (room.Name == name)
            return AdminOutcome.Unchanged;
        await db.Rooms.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Name, name), ct);
        await audit.RecordAsync(AuditActions.RoomRenamed, http, null, name, $"was “{room.Name}” ({room.Slug})");
        return AdminOutcome.Done;
    }

    /// <summary>
    /// Archives the room (read-only, kept) or brings it back. The message handlers ask on every post, edit
    /// and delete, so an open socket is refused from its next frame; open pages keep their composer until reloaded.
    /// </summary>
    public async Task<AdminOutcome> SetArchivedAsync(long id, bool archived, HttpContext http, TimeProvider time)
    {
        var ct = http.RequestAborted;
        if (await FindAsync(id, ct) is not { } room)
            return AdminOutcome.NotFound;
        if ((room.ArchivedAt is not null) == archived)
            return AdminOutcome.Unchanged;
        DateTimeOffset? at = archived ? time.GetUtcNow() : null;
        await db.Rooms.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.ArchivedAt, at), ct);
        await audit.RecordAsync(archived ? AuditActions.RoomArchived : AuditActions.RoomUnarchived, http, null, room.Name, room.Slug);
        return AdminOutcome.Done;
    }

    /// <summary>
    /// Deletes the room, its messages, memberships and files, in one transaction (the files after it:
    /// a file whose row is gone can no longer be served, so a failure there only leaves bytes behind,
    /// which is logged). Every socket open in the room closes (1008).
    /// </summary>
    public async Task<AdminOutcome> DeleteAsync(long id, HttpContext http)
    {
        var ct = http.RequestAborted;
        if (await FindAsync(id, ct) is not { } room)
            return AdminOutcome.NotFound;
        var people = await db.Memberships.Where(m => m.RoomId == id).Select(m => m.UserId).ToListAsync(ct);
        var keys = await db.Attachments.Where(a => a.RoomId == id).Select(a => a.StorageKey).ToListAsync(ct);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            // Attachments first: they point at the room without a cascade of their own (SQL Server allows one path).
            await db.Attachments.Where(a => a.RoomId == id).ExecuteDeleteAsync(CancellationToken.None);
            await db.Messages.Where(m => m.RoomId == id).ExecuteDeleteAsync(CancellationToken.None);
            await db.Rooms.Where(r => r.Id == id).ExecuteDeleteAsync(CancellationToken.None); // memberships cascade
            await tx.CommitAsync(CancellationToken.None);
        });
        foreach (var userId in people)
            await sockets.CloseUserAsync(userId, "room deleted", id);
        foreach (var key in keys)
        {
            try
            {
                await files.DeleteAsync(key, CancellationToken.None);
            }
            catch (IOException e)
            {
                LogFileLeft(e, key, id);
            }
        }
        await audit.RecordAsync(AuditActions.RoomDeleted, http, null, room.Name, $"{room.Slug}: {room.Messages} message(s), {keys.Count} file(s)");
        return AdminOutcome.Done;
    }

    public Task<List<MemberInfo>> MembersAsync(long id, CancellationToken ct) => members.ListAsync(id, viewerId: "", allEmails: true, ct); // administrators see every email

    /// <summary>Adds the account with this email to a closed room (see <see cref="RoomMembers.AddByEmailAsync"/>); null when the room is not a closed one.</summary>
    public async Task<AddMemberResult?> AddMemberAsync(long id, string? email, HttpContext http)
    {
        var ct = http.RequestAborted;
        if (await FindAsync(id, ct) is not { Kind: RoomKind.Closed } room)
            return null;
        if (string.IsNullOrWhiteSpace(email))
            return AddMemberResult.NoAccount;
        var added = await members.AddByEmailAsync(id, email, ct);
        if (added != AddMemberResult.Added)
            return added;
        var normalized = email.Trim().ToUpperInvariant();
        var userId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct);
        await audit.RecordAsync(AuditActions.RoomMembersChanged, http, userId, room.Name, $"added {email.Trim()}");
        return AddMemberResult.Added;
    }

    /// <summary>Removes a member of a closed room; their sockets in it close at once, on every instance.</summary>
    public async Task<AdminOutcome> RemoveMemberAsync(long id, string? userId, HttpContext http)
    {
        var ct = http.RequestAborted;
        if (await FindAsync(id, ct) is not { Kind: RoomKind.Closed } room || string.IsNullOrEmpty(userId))
            return AdminOutcome.NotFound;
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        if (email is null || !await db.Memberships.AnyAsync(m => m.RoomId == id && m.UserId == userId, ct))
            return AdminOutcome.NotFound;
        await members.RemoveAsync(id, userId, ct);
        await audit.RecordAsync(AuditActions.RoomMembersChanged, http, userId, room.Name, $"removed {email}");
        return AdminOutcome.Done;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The file {Key} of the deleted room {RoomId} could not be removed from the store")]
    private partial void LogFileLeft(Exception e, string key, long roomId);
}

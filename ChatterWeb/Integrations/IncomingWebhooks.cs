using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Integrations;

/// <summary>
/// A room's incoming webhooks: made, listed, renamed, given a new token and deleted by the room's
/// managers (<see cref="RoomIntegrationsModel"/>), and found by token for a post. Each hook posts as an
/// account of its own named like it (<see cref="BotAccounts"/>); in a closed room that account is a member.
/// </summary>
public sealed class IncomingWebhooks(ChatterDbContext db, BotAccounts bots, TimeProvider time)
{
    public Task<List<HookRow>> ListAsync(long roomId, CancellationToken ct = default) =>
        (from h in db.IncomingWebhooks.AsNoTracking()
         join u in db.Users on h.UserId equals u.Id
         where h.RoomId == roomId
         orderby h.Name, h.Id
         select new HookRow(h.Id, h.UserId, h.Name, u.Avatar, h.CreatedAt, h.LastUsedAt)).ToListAsync(ct);

    /// <summary>A new hook; the token is returned once and never stored.</summary>
    /// <param name="avatar">An emoji of <see cref="AvatarEmoji"/> (already checked), or null for initials.</param>
    public async Task<(HookRow Hook, string Token)> CreateAsync(RoomInfo room, string name, string? avatar, string creatorId, CancellationToken ct = default)
    {
        var bot = await bots.CreateAsync(name, avatar);
        var token = SecretToken.New(SecretToken.HookPrefix);
        var hook = new IncomingWebhook
        {
            RoomId = room.Id,
            UserId = bot.Id,
            Name = name,
            TokenHash = SecretToken.Hash(token),
            CreatedById = creatorId,
            CreatedAt = time.GetUtcNow(),
        };
        db.IncomingWebhooks.Add(hook);
        if (room.Kind != RoomKind.Open)
            db.Memberships.Add(new Membership { RoomId = room.Id, UserId = bot.Id, JoinedAt = hook.CreatedAt });
        await db.SaveChangesAsync(ct);
        return (new HookRow(hook.Id, hook.UserId, hook.Name, avatar, hook.CreatedAt, null), token);
    }

    /// <summary>
    /// The hook's new name and avatar (its account's too, so its messages show them, old ones included);
    /// false when there is no such hook in the room.
    /// </summary>
    public async Task<bool> RenameAsync(long roomId, long hookId, string name, string? avatar, CancellationToken ct = default)
    {
        var hook = await db.IncomingWebhooks.SingleOrDefaultAsync(h => h.Id == hookId && h.RoomId == roomId, ct);
        if (hook is null)
            return false;
        hook.Name = name;
        await db.Users.Where(u => u.Id == hook.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.DisplayName, name).SetProperty(x => x.Avatar, avatar), ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>A new token for the hook (the old URL stops working at once); null when there is no such hook in the room.</summary>
    public async Task<string?> RegenerateAsync(long roomId, long hookId, CancellationToken ct = default)
    {
        var token = SecretToken.New(SecretToken.HookPrefix);
        var changed = await db.IncomingWebhooks.Where(h => h.Id == hookId && h.RoomId == roomId)
            .ExecuteUpdateAsync(h => h.SetProperty(x => x.TokenHash, SecretToken.Hash(token)), ct);
        return changed == 1 ? token : null;
    }

    /// <summary>Deletes the hook; its account stays (the author of what it posted) but leaves the room.</summary>
    public async Task<bool> DeleteAsync(long roomId, long hookId, CancellationToken ct = default)
    {
        var hook = await db.IncomingWebhooks.AsNoTracking().SingleOrDefaultAsync(h => h.Id == hookId && h.RoomId == roomId, ct);
        if (hook is null)
            return false;
        await db.IncomingWebhooks.Where(h => h.Id == hookId).ExecuteDeleteAsync(ct);
        await db.Memberships.Where(m => m.RoomId == roomId && m.UserId == hook.UserId).ExecuteDeleteAsync(ct);
        return true;
    }

    /// <summary>The hook this token opens, with its room; null for any other string.</summary>
    public async Task<HookTarget?> FindAsync(string token, CancellationToken ct = default)
    {
        if (!SecretToken.IsWellFormed(token, SecretToken.HookPrefix))
            return null;
        var hash = SecretToken.Hash(token);
        return await (from h in db.IncomingWebhooks.AsNoTracking()
                      where h.TokenHash == hash
                      join r in db.Rooms on h.RoomId equals r.Id
                      join u in db.Users on h.UserId equals u.Id
                      select new HookTarget(h.Id, h.UserId, h.Name, new RoomInfo(r.Id, r.Slug, r.Name, r.Kind), u.Avatar)).SingleOrDefaultAsync(ct);
    }

    /// <summary>Records when the hook last posted (shown on the page).</summary>
    public Task TouchAsync(long hookId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        return db.IncomingWebhooks.Where(h => h.Id == hookId).ExecuteUpdateAsync(h => h.SetProperty(x => x.LastUsedAt, now), ct);
    }
}

using ChatterWeb.Data;
using ChatterWeb.Integrations;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Bots;

/// <summary>
/// The bots: made, changed and deleted by administrators (<see cref="AdminBotsModel"/>), and found for
/// a message (<see cref="InRoomAsync"/>). A bot is its own account (<see cref="BotAccounts"/>: no
/// password, locked, IsBot) made a member of the rooms it serves, so it can be mentioned there and its
/// replies pass the post path's membership check.
/// </summary>
public sealed class BotDirectory(ChatterDbContext db, BotAccounts accounts, BotSecrets secrets, TimeProvider time)
{
    /// <summary>Rooms a bot can serve: every open and closed room (an administrator may put a bot in any of them).</summary>
    public Task<List<BotRoom>> RoomChoicesAsync(CancellationToken ct = default) =>
        db.Rooms.AsNoTracking().Where(r => r.Kind != RoomKind.Direct).OrderBy(r => r.Name).ThenBy(r => r.Id)
            .Select(r => new BotRoom(r.Id, r.Slug, r.Name)).ToListAsync(ct);

    public async Task<List<BotRow>> ListAsync(CancellationToken ct = default)
    {
        var bots = await (from b in db.Bots.AsNoTracking()
                          join u in db.Users on b.UserId equals u.Id
                          join o in db.Users on b.CreatedById equals o.Id into owners
                          from o in owners.DefaultIfEmpty()
                          orderby u.DisplayName, b.Id
                          select new { b.Id, b.UserId, u.DisplayName, u.Avatar, b.Url, b.Commands, b.CreatedAt, Owner = o == null ? null : o.DisplayName }).ToListAsync(ct);
        var userIds = bots.Select(b => b.UserId).ToList();
        var rooms = await (from m in db.Memberships.AsNoTracking()
                           join r in db.Rooms on m.RoomId equals r.Id
                           where userIds.Contains(m.UserId) && r.Kind != RoomKind.Direct
                           orderby r.Name
                           select new { m.UserId, Room = new BotRoom(r.Id, r.Slug, r.Name) }).ToListAsync(ct);
        return [.. bots.Select(b => new BotRow(b.Id, b.UserId, b.DisplayName, b.Avatar, b.Url, b.Commands, b.CreatedAt, b.Owner,
            [.. rooms.Where(r => r.UserId == b.UserId).Select(r => r.Room)]))];
    }

    public async Task<BotRow?> FindAsync(long id, CancellationToken ct = default) => (await ListAsync(ct)).SingleOrDefault(b => b.Id == id);

    /// <summary>A new bot and its account, a member of <paramref name="roomIds"/> (direct conversations and unknown ids are ignored).</summary>
    public async Task<BotRow> CreateAsync(string name, string? avatar, string url, string secret, string commands, IReadOnlyCollection<long> roomIds, string creatorId, CancellationToken ct = default)
    {
        var account = await accounts.CreateAsync(name, avatar);
        var bot = new Bot
        {
            UserId = account.Id,
            Url = url,
            ProtectedSecret = secrets.Protect(secret),
            Commands = commands,
            CreatedById = creatorId,
            CreatedAt = time.GetUtcNow(),
        };
        db.Bots.Add(bot);
        await db.SaveChangesAsync(ct);
        await SetRoomsAsync(account.Id, roomIds, ct);
        return (await FindAsync(bot.Id, ct))!;
    }

    /// <summary>A new avatar, URL, commands and rooms; false when there is no such bot. The avatar shows on its past messages too.</summary>
    public async Task<bool> UpdateAsync(long id, string? avatar, string url, string commands, IReadOnlyCollection<long> roomIds, CancellationToken ct = default)
    {
        var bot = await db.Bots.SingleOrDefaultAsync(b => b.Id == id, ct);
        if (bot is null)
            return false;
        bot.Url = url;
        bot.Commands = commands;
        await db.SaveChangesAsync(ct);
        await db.Users.Where(u => u.Id == bot.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.Avatar, avatar), ct);
        await SetRoomsAsync(bot.UserId, roomIds, ct);
        return true;
    }

    /// <summary>Signs with a new secret from now on; false when there is no such bot.</summary>
    public async Task<bool> ReplaceSecretAsync(long id, string secret, CancellationToken ct = default)
    {
        var protectedSecret = secrets.Protect(secret);
        return await db.Bots.Where(b => b.Id == id).ExecuteUpdateAsync(b => b.SetProperty(x => x.ProtectedSecret, protectedSecret), ct) == 1;
    }

    /// <summary>
    /// Deletes the bot, its log and its tokens, and takes its account out of its rooms. The account
    /// stays, locked, as the author of what the bot posted.
    /// </summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        var userId = await db.Bots.Where(b => b.Id == id).Select(b => b.UserId).SingleOrDefaultAsync(ct);
        if (userId is null)
            return false;
        await db.Bots.Where(b => b.Id == id).ExecuteDeleteAsync(ct); // the log goes with it (cascade)
        await db.ApiTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.Memberships.Where(m => m.UserId == userId).ExecuteDeleteAsync(ct);
        return true;
    }

    /// <summary>The bots that are members of the room: the only ones a message there can call.</summary>
    public Task<List<BotTarget>> InRoomAsync(long roomId, CancellationToken ct = default) =>
        (from b in db.Bots.AsNoTracking()
         join m in db.Memberships on b.UserId equals m.UserId
         join u in db.Users on b.UserId equals u.Id
         where m.RoomId == roomId
         select new BotTarget(b.Id, b.UserId, u.DisplayName, b.Url, b.ProtectedSecret, b.Commands, u.Avatar)).ToListAsync(ct);

    /// <summary>The newest lines of the bot's delivery log, newest first.</summary>
    public Task<List<BotLogLine>> LogAsync(long botId, int take, CancellationToken ct = default) =>
        (from d in db.BotDeliveries.AsNoTracking()
         join r in db.Rooms on d.RoomId equals r.Id
         where d.BotId == botId
         orderby d.Id descending
         select new BotLogLine(d.Id, d.CreatedAt, r.Slug, d.Seq, d.Trigger, d.Outcome, d.StatusCode, d.Attempts, d.DurationMs, d.Detail, d.ReplySeq))
        .Take(take).ToListAsync(ct);

    private async Task SetRoomsAsync(string userId, IReadOnlyCollection<long> roomIds, CancellationToken ct)
    {
        var wanted = await db.Rooms.Where(r => roomIds.Contains(r.Id) && r.Kind != RoomKind.Direct).Select(r => r.Id).ToListAsync(ct);
        var current = await db.Memberships.Where(m => m.UserId == userId).Select(m => m.RoomId).ToListAsync(ct);
        var gone = current.Except(wanted).ToList();
        if (gone.Count > 0)
            await db.Memberships.Where(m => m.UserId == userId && gone.Contains(m.RoomId)).ExecuteDeleteAsync(ct);
        var now = time.GetUtcNow();
        foreach (var roomId in wanted.Except(current))
            db.Memberships.Add(new Membership { RoomId = roomId, UserId = userId, JoinedAt = now });
        await db.SaveChangesAsync(ct);
    }
}

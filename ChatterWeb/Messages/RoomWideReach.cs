using ChatterWeb.Data;
using ChatterWeb.Presence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// Whom an <c>@here</c> or <c>@room</c> reaches: the room's members but the author, bots and those who
/// set the room to Nothing; for a reply not also sent to the room, only the people of its thread.
/// <c>@here</c>: of those, the ones with the room open now (<see cref="IPresence"/>, every instance's
/// sockets when scaled out over Redis) or who posted in it within <see cref="RoomWideOptions.HereRecently"/>.
/// </summary>
public sealed class RoomWideReach(ChatterDbContext db, IPresence presence, IOptions<RoomWideOptions> options, TimeProvider time)
{
    /// <summary>The newest messages read for who posted recently.</summary>
    public const int RecentMessages = 1000;

    /// <summary>The room's members (for the size limit): everyone with a membership, the asker included.</summary>
    public Task<int> MemberCountAsync(long roomId, CancellationToken ct = default) =>
        db.Memberships.CountAsync(ms => ms.RoomId == roomId, ct);

    /// <summary>The ids reached, in no particular order.</summary>
    /// <param name="threadPeople">A reply only in its thread: its people (ids, space-separated); null otherwise.</param>
    public async Task<List<string>> ResolveAsync(long roomId, string authorId, RoomMention kind, string? threadPeople, CancellationToken ct = default)
    {
        var members = await (from ms in db.Memberships.AsNoTracking()
                             join u in db.Users on ms.UserId equals u.Id
                             where ms.RoomId == roomId && ms.UserId != authorId && !u.IsBot && ms.Notify != NotifyLevel.Nothing
                             select u.Id).ToListAsync(ct);
        if (threadPeople is not null)
        {
            var thread = threadPeople.Split(' ').ToHashSet(StringComparer.Ordinal);
            members.RemoveAll(id => !thread.Contains(id));
        }
        if (kind != RoomMention.Here || members.Count == 0)
            return members;
        var here = (await presence.InRoomAsync(roomId, ct)).Select(p => p.UserId).ToHashSet(StringComparer.Ordinal);
        var since = time.GetUtcNow() - options.Value.HereRecently;
        // a seek on (RoomId, Seq): the newest messages only, however long the room's history
        var lastSeq = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).FirstOrDefaultAsync(ct);
        here.UnionWith(await db.Messages.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.Seq > lastSeq - RecentMessages && m.CreatedAt >= since)
            .Select(m => m.AuthorId).Distinct().ToListAsync(ct));
        members.RemoveAll(id => !here.Contains(id));
        return members;
    }
}

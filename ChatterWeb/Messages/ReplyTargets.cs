using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// The thread a reply joins. Threads are one level deep: a reply to a reply joins the thread of the
/// message it answered. The first message must be in the same room and not deleted. The people in
/// the thread (for unread and mentions) are its first message's author, everyone who replied so far,
/// everyone the thread mentioned so far and whom this reply mentions, as read when the reply is posted.
/// </summary>
public sealed class ReplyTargets(ChatterDbContext db)
{
    /// <summary>Replies read for the people in a thread (a thread of more replies counts the people of its newest this many).</summary>
    public const int MaxReplies = 500;

    public async Task<ReplyTo?> FindAsync(long roomId, long seq, bool alsoInRoom, string? mentions, CancellationToken ct)
    {
        var target = await Find(roomId, seq, ct);
        if (target?.ParentSeq is long root)
            target = await Find(roomId, root, ct);
        if (target is null || target.Deleted)
            return null;
        var replies = await db.Messages.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.ParentSeq == target.Seq)
            .OrderByDescending(m => m.Seq).Take(MaxReplies)
            .Select(m => new { m.AuthorId, m.Mentions }).ToListAsync(ct);
        var people = new HashSet<string>(StringComparer.Ordinal) { target.AuthorId };
        foreach (var reply in replies)
        {
            people.Add(reply.AuthorId);
            AddIds(people, reply.Mentions);
        }
        AddIds(people, target.Mentions);
        AddIds(people, mentions);
        return new ReplyTo(target.Seq, alsoInRoom, string.Join(' ', people));
    }

    private static void AddIds(HashSet<string> people, string? ids)
    {
        if (ids is not null)
            people.UnionWith(ids.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private sealed record Target(long Seq, long? ParentSeq, string AuthorId, string? Mentions, bool Deleted);

    private Task<Target?> Find(long roomId, long seq, CancellationToken ct) =>
        db.Messages.AsNoTracking().Where(m => m.RoomId == roomId && m.Seq == seq)
            .Select(m => new Target(m.Seq, m.ParentSeq, m.AuthorId, m.Mentions, m.DeletedAt != null)).SingleOrDefaultAsync(ct)!;
}

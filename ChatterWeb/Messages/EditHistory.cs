using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>
/// The earlier texts of a message, newest first (the order Zulip's "edit history" reads in). The
/// caller has checked that the person may read the room.
/// </summary>
public sealed class EditHistory(ChatterDbContext db, MessageHistory history)
{
    /// <summary>More are not shown (a message edited hundreds of times is not read that way).</summary>
    public const int Limit = 100;

    public sealed record Found(MessageView Message, IReadOnlyList<MessageVersionView> Versions);

    /// <summary>The message as it is and its earlier versions; null when there is no such message or it is deleted.</summary>
    public async Task<Found?> FindAsync(long roomId, long seq, CancellationToken ct)
    {
        var id = await db.Messages.AsNoTracking()
            .Where(m => m.RoomId == roomId && m.Seq == seq && m.DeletedAt == null)
            .Select(m => (long?)m.Id).SingleOrDefaultAsync(ct);
        if (id is null || await history.ByIdAsync(id.Value, ct) is not { DeletedAt: null } message)
            return null;
        var versions = await db.MessageVersions.AsNoTracking()
            .Where(v => v.MessageId == id.Value)
            .OrderByDescending(v => v.Id)
            .Take(Limit)
            .Select(v => new MessageVersionView(v.Body, v.WrittenAt, v.ReplacedAt))
            .ToListAsync(ct);
        return new Found(message, versions);
    }
}

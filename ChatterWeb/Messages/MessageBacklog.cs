using ChatterWeb.Data;
using ChatterWeb.Delivery;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>A room's stored messages as the delivery core reads them back: its newest seq, and frames to heal a gap with.</summary>
public sealed class MessageBacklog(IServiceScopeFactory scopes) : IRoomBacklog
{
    public async Task<IReadOnlyDictionary<long, long>> LastSeqsAsync(IReadOnlyCollection<long> roomIds, CancellationToken ct)
    {
        var ids = roomIds.ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
        return await db.Rooms.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => new { r.Id, r.LastSeq })
            .ToDictionaryAsync(r => r.Id, r => r.LastSeq, ct);
    }

    public async Task<IReadOnlyList<RoomFrame>> AfterAsync(long roomId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var missed = await scope.ServiceProvider.GetRequiredService<MessageHistory>().AfterAsync(roomId, afterSeq, limit, ct);
        return missed.ConvertAll(m => new RoomFrame(roomId, m.Seq, MessageMarkup.RenderFragment(m)));
    }

    public ReadOnlyMemory<byte> TooFarBehind { get; } = ComposerStatus.Reload();
}

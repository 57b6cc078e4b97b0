namespace ChatterWeb.Delivery;

/// <summary>
/// What is stored of a room, as the delivery core needs it to start a room's order and to heal a
/// gap: the feature that stores messages implements it (the core knows seqs and frames, not messages).
/// </summary>
public interface IRoomBacklog
{
    /// <summary>The newest stored seq of each room (rooms that do not exist are left out).</summary>
    Task<IReadOnlyDictionary<long, long>> LastSeqsAsync(IReadOnlyCollection<long> roomIds, CancellationToken ct);

    /// <summary>The room's frames after <paramref name="afterSeq"/> in seq order, at most <paramref name="limit"/>, each as it is published live.</summary>
    Task<IReadOnlyList<RoomFrame>> AfterAsync(long roomId, long afterSeq, int limit, CancellationToken ct);

    /// <summary>A frame that tells a page it is too far behind to catch up frame by frame (it reloads).</summary>
    ReadOnlyMemory<byte> TooFarBehind { get; }
}

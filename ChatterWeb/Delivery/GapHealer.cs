using Microsoft.Extensions.Options;

namespace ChatterWeb.Delivery;

/// <summary>
/// Heals what a lossy bus lost (Redis pub/sub is at-most-once; the database is the truth): each
/// local room gets the frames after its watermark from <see cref="IRoomBacklog"/>, through its
/// sequencer, which passes on only what its sockets were not shown, so an open socket sees every
/// message exactly once. Sockets are not closed: nobody reconnects at once. A room more than
/// <see cref="RealtimeOptions.ResumeLimit"/> behind tells its pages to reload instead.
/// </summary>
public sealed partial class GapHealer(RoomSockets rooms, IRoomBacklog backlog, IOptions<RealtimeOptions> options, ILogger<GapHealer> logger)
{
    private readonly SemaphoreSlim _healing = new(1, 1);
    private int _pending;

    /// <summary>Heals every local room (or only <paramref name="only"/>) from the database.</summary>
    public async Task HealAsync(CancellationToken ct, IReadOnlySet<long>? only = null)
    {
        // A heal already queued behind a running one covers this request too.
        if (Interlocked.Increment(ref _pending) > 2)
        {
            Interlocked.Decrement(ref _pending);
            return;
        }
        await _healing.WaitAsync(ct);
        try
        {
            var limit = options.Value.ResumeLimit;
            foreach (var (roomId, watermark) in rooms.Watermarks())
            {
                if (watermark is not long after || (only is not null && !only.Contains(roomId)))
                    continue;
                try
                {
                    var missed = await backlog.AfterAsync(roomId, after, limit + 1, ct);
                    foreach (var frame in missed)
                        rooms.Deliver(frame);
                    if (missed.Count > limit)
                        rooms.Deliver(new RoomFrame(roomId, 0, backlog.TooFarBehind));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogHealFailed(e, roomId);
                }
            }
        }
        finally
        {
            _healing.Release();
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>
    /// The backstop for anything else lost (a partition between one instance and the bus, a dropped
    /// frame): every <paramref name="tick"/>, a room whose stored LastSeq was ahead of what its
    /// sockets were shown at the previous tick, and still is, is healed. One query per tick for all local rooms.
    /// </summary>
    public async Task RunBackstopAsync(TimeSpan tick, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(tick);
        Dictionary<long, long> behindLastTick = [];
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var marks = rooms.Watermarks().Where(w => w.Watermark is not null).ToDictionary(w => w.RoomId, w => w.Watermark!.Value);
                if (marks.Count == 0)
                {
                    behindLastTick.Clear();
                    continue;
                }
                var stored = await backlog.LastSeqsAsync(marks.Keys, stoppingToken);
                var stale = behindLastTick.Where(b => marks.TryGetValue(b.Key, out var shown) && shown < b.Value).Select(b => b.Key).ToHashSet();
                behindLastTick = stored.Where(s => marks.TryGetValue(s.Key, out var shown) && shown < s.Value).ToDictionary(s => s.Key, s => s.Value);
                if (stale.Count > 0)
                    await HealAsync(stoppingToken, stale);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogHealFailed(e, 0);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Healing room {RoomId} from the database failed")]
    private partial void LogHealFailed(Exception e, long roomId);
}

using ChatterWeb.Metrics;

namespace ChatterWeb.Delivery;

/// <summary>The sockets' figures for the metrics: how many are open and how deep their send queues are.</summary>
internal sealed class SocketStats(SocketQuota quota, UserSockets sockets) : ISocketStats
{
    public int OpenSockets => quota.ConnectionCount;

    public (long Total, long Deepest) QueuedFrames()
    {
        long total = 0, deepest = 0;
        foreach (var c in sockets.All())
        {
            var depth = c.QueuedFrames;
            total += depth;
            deepest = Math.Max(deepest, depth);
        }
        return (total, deepest);
    }
}

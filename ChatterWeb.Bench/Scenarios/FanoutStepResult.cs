using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>One timed step of <c>fanout</c>: what was sent and delivered, how late, and what it cost.</summary>
public sealed record FanoutStepResult(
    double Rate, double Seconds, long Sent, long Acked, long Errors, string? FirstError,
    long Expected, long Delivered, long Lost, long Duplicates, long OutOfOrder, long Misrouted, long SocketsClosed,
    double OfferedDeliveriesPerSecond, double DeliveriesPerSecond, LatencySummary Latency, LatencySummary AckLatency,
    double? ServerCpuSeconds, double? ServerCpuMicrosPerDelivery, double? ServerCpuPercent, double BenchCpuPercent,
    IReadOnlyList<IntervalStat> Intervals, long[] DeliveriesPerSecondTimeline, List<(double Percentile, double Ms)> PercentileCurve,
    LatencySummary? SameInstance = null, LatencySummary? CrossInstance = null, double? ServerSendsPerDelivery = null, double? BytesReadPerDelivery = null,
    double? MachineCpuPercent = null, double? SoftIrqPercent = null)
{
    public bool Clean => Lost == 0 && Duplicates == 0 && OutOfOrder == 0 && Errors == 0 && Misrouted == 0 && SocketsClosed == 0;

    public bool Held(double targetP99) => Clean && Latency.P99 <= targetP99 && DeliveriesPerSecond >= 0.9 * OfferedDeliveriesPerSecond;
}

using System.Diagnostics;
using HdrHistogram;

namespace ChatterWeb.Bench.Measure;

/// <summary>Latency percentiles in milliseconds, from an HdrHistogram of microseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary From(HistogramBase h) => h.TotalCount == 0
        ? new LatencySummary(0, 0, 0, 0, 0, 0, 0)
        : new LatencySummary(h.TotalCount, Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)), Ms(h.GetMaxValue()), Math.Round(h.GetMean() / 1000.0, 3));

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}

/// <summary>One interval of a run: how many values arrived and how slow they were.</summary>
public sealed record IntervalStat(double AtSeconds, long Count, double P50Ms, double P99Ms, double MaxMs);

/// <summary>
/// Send-to-receive (or request) latencies, recorded from many threads at once into an HdrHistogram
/// <see cref="Recorder"/> (microseconds, 3 significant digits, up to 2 minutes). <see cref="Tick"/> takes
/// the interval since the last tick for the timeline and folds it into <see cref="Total"/>.
/// </summary>
public sealed class LatencyRecorder
{
    public const long MaxMicros = 120_000_000;

    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(MaxMicros).WithPrecisionOf(3)
        .WithThreadSafeWrites().WithThreadSafeReads().Create();
    private readonly LongHistogram _total = new(1, MaxMicros, 3);
    private readonly List<IntervalStat> _intervals = [];
    private readonly Lock _gate = new();
    private HistogramBase? _recycle;
    private long _overflow;

    /// <summary>Values above the histogram's range (recorded as the maximum).</summary>
    public long Overflow => Interlocked.Read(ref _overflow);

    public void RecordStopwatchTicks(long ticks)
    {
        var micros = ticks * 1_000_000 / Stopwatch.Frequency;
        if (micros < 1)
            micros = 1;
        else if (micros > MaxMicros)
        {
            Interlocked.Increment(ref _overflow);
            micros = MaxMicros;
        }
        _recorder.RecordValue(micros);
    }

    public void Record(TimeSpan elapsed) => RecordStopwatchTicks((long)(elapsed.TotalSeconds * Stopwatch.Frequency));

    /// <summary>Closes the current interval (stamped <paramref name="atSeconds"/>) and returns it.</summary>
    public IntervalStat Tick(double atSeconds)
    {
        lock (_gate)
        {
            var interval = _recorder.GetIntervalHistogram(_recycle);
            _recycle = interval;
            _total.Add(interval);
            var s = LatencySummary.From(interval);
            var stat = new IntervalStat(Math.Round(atSeconds, 3), interval.TotalCount, s.P50, s.P99, s.Max);
            _intervals.Add(stat);
            return stat;
        }
    }

    public IReadOnlyList<IntervalStat> Intervals
    {
        get { lock (_gate) return [.. _intervals]; }
    }

    /// <summary>Everything recorded up to the last <see cref="Tick"/>.</summary>
    public HistogramBase Total
    {
        get { lock (_gate) return _total.Copy(); }
    }

    public LatencySummary Summary() => LatencySummary.From(Total);

    /// <summary>(percentile, milliseconds) points for a percentile plot.</summary>
    public static List<(double Percentile, double Ms)> PercentileCurve(HistogramBase h)
    {
        var points = new List<(double, double)>();
        if (h.TotalCount == 0)
            return points;
        foreach (var v in h.Percentiles(5))
        {
            if (v.Percentile >= 100)
                break;
            points.Add((v.Percentile, v.ValueIteratedTo / 1000.0));
        }
        points.Add((100, h.GetMaxValue() / 1000.0));
        return points;
    }
}

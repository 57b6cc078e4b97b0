using System.Diagnostics.Metrics;

namespace ChatterWeb.Metrics;

/// <summary>
/// The server's own instruments (meter <c>ChatterWeb</c>): what a chat server is judged by. Counting
/// is a few nanoseconds when nobody listens, so the hot path records unconditionally.
/// </summary>
public sealed class ChatterMetrics
{
    public const string MeterName = "ChatterWeb";

    private readonly Counter<long> _posted;
    private readonly Histogram<double> _postDuration;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _slowConsumerCloses;
    private readonly Histogram<int> _batchSize;

    public ChatterMetrics(IMeterFactory meters, ISocketStats sockets)
    {
        var meter = meters.Create(MeterName);
        _posted = meter.CreateCounter<long>("chatter.messages.posted", "{message}", "Messages stored and published (resends of a stored message not counted).");
        _postDuration = meter.CreateHistogram<double>("chatter.post.duration", "s", "From a valid send to its commit (or rejection), per message.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _batchSize = meter.CreateHistogram<int>("chatter.messages.batch_size", "{message}", "New messages committed together in one transaction by the group-commit writer.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _framesSent = meter.CreateCounter<long>("chatter.frames.sent", "{frame}", "WebSocket messages written to sockets (one may carry several queued fragments).");
        _bytesSent = meter.CreateCounter<long>("chatter.bytes.sent", "By", "Payload bytes written to sockets.");
        _slowConsumerCloses = meter.CreateCounter<long>("chatter.sockets.slow_closes", "{socket}", "Sockets closed with 1013 because their send queue was full.");
        meter.CreateObservableUpDownCounter("chatter.sockets.open", () => sockets.OpenSockets, "{socket}", "Sockets reserved or open on this instance.");
        meter.CreateObservableGauge("chatter.send_queue.depth", () => ObserveQueues(sockets), "{frame}",
            "Frames waiting in the send queues of this instance: total and deepest single socket.");
        meter.CreateObservableGauge("chatter.process.memory.gc_heap", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "GC heap size after the last collection.");
        meter.CreateObservableGauge("chatter.process.memory.rss", () => Environment.WorkingSet, "By", "Resident set of this process.");
    }

    public void MessagePosted() => _posted.Add(1);

    public void PostCompleted(TimeSpan elapsed) => _postDuration.Record(elapsed.TotalSeconds);

    public void BatchCommitted(int messages) => _batchSize.Record(messages);

    public void FrameSent(int bytes)
    {
        _framesSent.Add(1);
        _bytesSent.Add(bytes);
    }

    public void SlowConsumerClosed() => _slowConsumerCloses.Add(1);

    private static IEnumerable<Measurement<long>> ObserveQueues(ISocketStats sockets)
    {
        var (total, deepest) = sockets.QueuedFrames();
        return [new(total, new KeyValuePair<string, object?>("chatter.queue", "total")), new(deepest, new KeyValuePair<string, object?>("chatter.queue", "max"))];
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Net.WebSockets;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>
/// <c>connections</c>: opens N idle room sockets (signed-in, same origin, as htmx does), spread over
/// rooms of <c>--per-room</c> sockets, and measures how fast they open, how many fail, and what they
/// cost the server in memory: its resident set (VmRSS from /proc/&lt;pid&gt;/status) before and after,
/// divided by N. The sockets are held open for a while to see that none is dropped.
/// </summary>
public static class ConnectionsScenario
{
    public sealed record Settings(int Sockets, int PerRoom, int Users, int ConnectParallel, double Hold);

    public sealed record Sample(double Seconds, int Open, double RssMiB, double RssAnonMiB);

    public static Command Build(CommonOptions common)
    {
        var sockets = CommonOptions.Range(new Option<int>("--sockets") { Description = "Idle sockets to open (N).", DefaultValueFactory = _ => 1000 }, 1, 15_000);
        var perRoom = CommonOptions.Range(new Option<int>("--per-room") { Description = "Sockets per room.", DefaultValueFactory = _ => 100 }, 1, 15_000);
        var users = CommonOptions.Range(new Option<int>("--users") { Description = "Distinct people; sockets are spread over them round-robin (several tabs each).", DefaultValueFactory = _ => 10 }, 1, 15_000);
        var parallel = CommonOptions.Range(new Option<int>("--connect-parallel") { Description = "Handshakes in flight at once.", DefaultValueFactory = _ => 64 }, 1, 2048);
        var hold = CommonOptions.Range(new Option<double>("--hold") { Description = "Seconds to hold every socket open after the last one connected.", DefaultValueFactory = _ => 10 }, 0, 600);

        var command = new Command("connections", "Open N idle sockets: connect rate, failures, server memory per socket.");
        foreach (var o in new Option[] { sockets, perRoom, users, parallel, hold })
            command.Options.Add(o);
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "connections");
            var s = new Settings(
                CommonOptions.Pick(parse, sockets, c.Smoke, 200),
                CommonOptions.Pick(parse, perRoom, c.Smoke, 50),
                CommonOptions.Pick(parse, users, c.Smoke, 4),
                parse.GetValue(parallel),
                CommonOptions.Pick(parse, hold, c.Smoke, 2.0));
            s = s with { Users = Math.Min(s.Users, s.Sockets) };
            return await ScenarioHost.RunAsync(c, "connections", $"connections: {s.Sockets:N0} idle sockets", (context, token) => RunAsync(context, s, token), ct);
        });
        return command;
    }

    /// <summary>Counts what idle sockets receive (presence updates) and which of them the server closes.</summary>
    private sealed class IdleSink : IFrameSink
    {
        public long Frames;
        public long Closed;
        public string? FirstClose;

        public void OnFrame(BenchSocket socket, ReadOnlySpan<byte> frame, long receivedAt) => Interlocked.Increment(ref Frames);

        public void OnClosed(BenchSocket socket, WebSocketCloseStatus? status, Exception? error)
        {
            Interlocked.Increment(ref Closed);
            Interlocked.CompareExchange(ref FirstClose, $"{status?.ToString() ?? "no close frame"} {error?.Message}", null);
        }
    }

    private static async Task RunAsync(ScenarioContext context, Settings s, CancellationToken ct)
    {
        var (targets, report) = (context.Targets, context.Report);
        var rooms = (s.Sockets + s.PerRoom - 1) / s.PerRoom;
        report.Parameter("sockets", s.Sockets).Parameter("rooms", rooms).Parameter("sockets per room", s.PerRoom)
            .Parameter("distinct users", s.Users).Parameter("handshakes in flight", s.ConnectParallel).Parameter("hold s", s.Hold)
            .Parameter("instances", string.Join(", ", targets.Instances));
        report.Data["settings"] = s;
        var limit = FileLimit.Current();
        if (limit is { } l && (long)l.Soft < s.Sockets + 200)
            report.Notes.Add($"The bench's open-file limit ({l.Soft}) is below N + 200: expect failures. Raise it with `ulimit -n 20000` before the command.");

        var runId = Population.NewRunId();
        var users = await Population.SignUpAsync(targets, s.Users, runId, parallel: 4, ct);
        var slugs = await Population.CreateRoomsAsync(users[0], rooms, runId, ct);
        var sink = new IdleSink();
        (Uri, string, ChatClient) Plan(int i) => (targets.InstanceFor(i), slugs[i / s.PerRoom], users[i % s.Users]);

        // Warm the server's socket path (JIT, pools) with a few sockets that are closed again, so the
        // baseline already holds what the first socket costs once.
        var (warm, _) = await Population.ConnectAsync(Math.Min(50, s.Sockets), Plan, Population.DropSink.Instance, 16, TimeSpan.FromSeconds(30), null, ct);
        await Population.CloseAllAsync(warm);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var metricsBefore = await ServerMetrics.TryReadAsync(targets, ct);
        var before = ReadMemory(targets);

        // Connect, sampling the server's memory as sockets open.
        var connectLatency = new LatencyRecorder();
        var open = 0;
        var clock = Stopwatch.StartNew();
        var samples = new List<Sample>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                if (ReadMemory(targets) is { } m)
                    lock (samples) samples.Add(new Sample(Math.Round(clock.Elapsed.TotalSeconds, 2), Volatile.Read(ref open), m.Rss, m.Anon));
                try { await Task.Delay(250, sampling.Token); }
                catch (OperationCanceledException) { }
            }
        }, CancellationToken.None);

        BenchSocket?[] sockets;
        List<Population.ConnectFailure> failures;
        using (Progress.Start("connecting", () => $"{Volatile.Read(ref open):N0}/{s.Sockets:N0} open, server RSS {ReadMemory(targets)?.Rss ?? 0:0} MiB"))
        {
            (sockets, failures) = await Population.ConnectAsync(s.Sockets, Plan, sink, s.ConnectParallel, TimeSpan.FromSeconds(60),
                (_, elapsed) =>
                {
                    connectLatency.Record(elapsed);
                    Interlocked.Increment(ref open);
                }, ct);
        }
        var connectSeconds = clock.Elapsed.TotalSeconds;
        connectLatency.Tick(connectSeconds);
        var opened = sockets.Count(x => x is not null);

        using (Progress.Start("settling", () => $"{Interlocked.Read(ref sink.Frames):N0} presence frames so far"))
            await Population.WaitQuietAsync(sockets, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(120), ct);
        using (Progress.Start("holding", () => $"{opened - Interlocked.Read(ref sink.Closed):N0} open, server RSS {ReadMemory(targets)?.Rss ?? 0:0} MiB"))
            await Task.Delay(TimeSpan.FromSeconds(s.Hold), ct);
        var after = ReadMemory(targets);
        var metricsAfter = await ServerMetrics.TryReadAsync(targets, ct);
        var stillOpen = sockets.Count(x => x is { WebSocketState: WebSocketState.Open });

        using (Progress.Start("closing", () => $"{opened:N0} sockets"))
            await Population.CloseAllAsync(sockets);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var afterClose = ReadMemory(targets);
        await sampling.CancelAsync();
        await sampler;
        foreach (var u in users)
            u.Dispose();

        // --- report
        var latency = connectLatency.Summary();
        var table = new Table("Result", "what", "value")
            .Add("sockets opened", opened)
            .Add("failures", failures.Count)
            .Add("closed by the server while held", Interlocked.Read(ref sink.Closed))
            .Add("still open after the hold", stillOpen)
            .Add("connect time s", connectSeconds)
            .Add("connect rate sockets/s", opened / connectSeconds)
            .Add("handshake p50 ms", latency.P50)
            .Add("handshake p99 ms", latency.P99)
            .Add("handshake max ms", latency.Max)
            .Add("presence frames received", Interlocked.Read(ref sink.Frames));
        double? perSocketKiB = null;
        if (before is { } b && after is { } a)
        {
            perSocketKiB = (a.Rss - b.Rss) * 1024 / Math.Max(1, opened);
            table.Add("server RSS before MiB", b.Rss)
                .Add("server RSS with sockets open MiB", a.Rss)
                .Add("server RSS after closing MiB", afterClose?.Rss)
                .Add("server memory per socket KiB (RSS delta / N)", perSocketKiB)
                .Add("server anonymous memory per socket KiB (RssAnon delta / N)", (a.Anon - b.Anon) * 1024 / Math.Max(1, opened))
                .Add("server threads before / with sockets", $"{b.Threads} / {a.Threads}");
        }
        // The server's own figures (its /metrics): resident set and GC heap, before and with the sockets.
        double? PerSocket(string metric) =>
            ServerMetrics.Value(metricsAfter, metric) is { } a2 && ServerMetrics.Value(metricsBefore, metric) is { } b2 ? (a2 - b2) / 1024 / Math.Max(1, opened) : null;
        if (PerSocket("chatter_process_memory_rss_bytes") is { } rssPerSocket)
        {
            table.Add("server-reported RSS per socket KiB (/metrics delta / N)", rssPerSocket)
                .Add("server-reported GC heap per socket KiB (/metrics delta / N)", PerSocket("chatter_process_memory_gc_heap_bytes"))
                .Add("server-reported open sockets", ServerMetrics.Value(metricsAfter, "chatter_sockets_open"));
        }
        report.Tables.Add(table);
        if (failures.Count > 0)
        {
            var reasons = new Table("Failures by reason", "reason", "count");
            foreach (var g in failures.GroupBy(f => f.Reason).OrderByDescending(g => g.Count()).Take(10))
                reasons.Add(g.Key, g.Count());
            report.Tables.Add(reasons);
        }
        report.Data["result"] = new
        {
            opened,
            failures = failures.Count,
            closedWhileHeld = Interlocked.Read(ref sink.Closed),
            sink.FirstClose,
            stillOpen,
            connectSeconds,
            connectRate = opened / connectSeconds,
            handshake = latency,
            memoryBefore = before,
            memoryWithSockets = after,
            memoryAfterClose = afterClose,
            perSocketKiB,
            metricsBefore,
            metricsAfter,
        };
        report.Data["samples"] = samples;

        report.Notes.Add("Server memory per socket is the growth of the server's resident set (VmRSS, /proc/<pid>/status) from a warmed-up baseline to all N sockets open and settled, divided by N. " +
                         "It includes everything N sockets cost: Kestrel's connection, the WebSocket, the room connection and its send queue, presence, and GC heap growth not yet given back.");
        report.Notes.Add(metricsBefore is null
            ? "The server published no /metrics (start it with Chatter__Metrics__Enabled=true), so no GC heap figures: RSS from /proc is the number here."
            : "The server-reported rows come from its /metrics (chatter_process_memory_rss_bytes, chatter_process_memory_gc_heap_bytes: the GC heap after the last collection); the raw lines are in the JSON (metricsBefore / metricsAfter).");
        if (targets.Pids.Count == 0)
            report.Notes.Add("No server pid (--url without --server-pid): no memory figures.");

        if (samples.Count > 1)
        {
            report.Plots.Add(Plotter.Lines(context.OutputDirectory, "connections-memory.png", $"server memory while opening {s.Sockets:N0} idle sockets",
                "sockets open", "server RSS (MiB)", null,
            [
                new Plotter.Series("VmRSS", samples.Select(x => (double)x.Open).ToArray(), samples.Select(x => x.RssMiB).ToArray()),
                new Plotter.Series("RssAnon", samples.Select(x => (double)x.Open).ToArray(), samples.Select(x => x.RssAnonMiB).ToArray()),
            ]));
        }
        report.Plots.Add(Plotter.Percentiles(context.OutputDirectory, "connections-handshake.png", $"WebSocket handshake latency, {s.ConnectParallel} in flight",
            [("handshake (sign-in cookie, origin and room checked)", LatencyRecorder.PercentileCurve(connectLatency.Total))]));

        if (failures.Count > 0) report.Fail($"{failures.Count} sockets failed to connect (first: {failures[0].Reason})");
        if (sink.Closed > 0) report.Fail($"{sink.Closed} sockets were closed by the server while idle (first: {sink.FirstClose})");
    }

    private readonly record struct Memory(double Rss, double Anon, int Threads);

    private static Memory? ReadMemory(TargetSet targets)
    {
        if (targets.Pids.Count == 0)
            return null;
        double rss = 0, anon = 0;
        var threads = 0;
        foreach (var pid in targets.Pids)
        {
            if (ProcStats.Sample(pid) is not { } p)
                return null;
            rss += p.RssBytes / 1048576.0;
            anon += p.RssAnonBytes / 1048576.0;
            threads += p.Threads;
        }
        return new Memory(Math.Round(rss, 2), Math.Round(anon, 2), threads);
    }
}

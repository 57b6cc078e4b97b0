using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>
/// <c>fanout</c>: R rooms x M member sockets; messages are sent at a fixed total rate (open loop: each
/// send has its slot on a timetable and goes whether or not earlier ones were answered), each from a
/// member socket of its room, and every member's socket reads it back. Latency is from the message's
/// scheduled send time (written into its body) to the moment the pushed fragment is read, so a late
/// sender or a slow server both count. <c>--find-knee</c> steps the rate up until p99 passes the target.
/// </summary>
public static class FanoutScenario
{
    public sealed record Settings(
        int Rooms, int Members, int Users, double Rate, double Duration, double Warmup, double Grace,
        bool FindKnee, double TargetP99, double StepFactor, int MaxSteps, int ConnectParallel);

    public sealed record StepResult(
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

    public static Command Build(CommonOptions common)
    {
        var rooms = CommonOptions.Range(new Option<int>("--rooms") { Description = "Rooms (R).", DefaultValueFactory = _ => 10 }, 1, 1000);
        var members = CommonOptions.Range(new Option<int>("--members") { Description = "Member sockets per room (M).", DefaultValueFactory = _ => 200 }, 1, 15_000);
        var users = CommonOptions.Range(new Option<int>("--users")
        {
            Description = "Distinct people signed up; sockets are spread over them round-robin, like people with several tabs (each sign-up costs a password hash on the server).",
            DefaultValueFactory = _ => 20,
        }, 1, 15_000);
        var rate = CommonOptions.Range(new Option<double>("--rate") { Description = "Messages sent per second, all rooms together (each reaches M sockets).", DefaultValueFactory = _ => 50 }, 0.1, 100_000);
        var duration = CommonOptions.Range(new Option<double>("--duration") { Description = "Seconds of sending (per step with --find-knee).", DefaultValueFactory = _ => 20 }, 0.5, 600);
        var warmup = CommonOptions.Range(new Option<double>("--warmup") { Description = "Seconds of unmeasured sending first, at the first step's rate: a fresh server's tiering JIT is busy for about its first 40 s under load.", DefaultValueFactory = _ => 40 }, 0, 120);
        var grace = CommonOptions.Range(new Option<double>("--grace") { Description = "Seconds to wait after the last send for deliveries still on their way; later ones count as lost.", DefaultValueFactory = _ => 5 }, 0.5, 60);
        var findKnee = new Option<bool>("--find-knee") { Description = "Step the rate up (x --step-factor) until p99 passes --target-p99 (or anything is lost); report the highest rate that held." };
        var target = CommonOptions.Range(new Option<double>("--target-p99") { Description = "p99 target in ms for --find-knee.", DefaultValueFactory = _ => 50 }, 0.1, 60_000);
        var factor = CommonOptions.Range(new Option<double>("--step-factor") { Description = "Rate multiplier between --find-knee steps.", DefaultValueFactory = _ => 1.25 }, 1.01, 10);
        var maxSteps = CommonOptions.Range(new Option<int>("--max-steps") { Description = "Most --find-knee steps.", DefaultValueFactory = _ => 12 }, 1, 40);
        var parallel = CommonOptions.Range(new Option<int>("--connect-parallel") { Description = "Socket handshakes in flight at once during setup.", DefaultValueFactory = _ => 32 }, 1, 1024);
        var peer = new Option<string?>("--peer")
        {
            Description = "Load a peer instead of ChatterWeb, the same way: raw-kestrel is ChatterWeb.Bench.Peer, a raw Kestrel broadcast (one bounded channel and one writer per socket; no accounts, database or pacing).",
        };
        peer.AcceptOnlyFromAmong("raw-kestrel");
        var peerFragment = CommonOptions.Range(new Option<int>("--peer-fragment-bytes")
        {
            Description = "With --peer: pad the peer's message fragment to at least this many bytes, so it is measured sending as many bytes per delivery as ChatterWeb (whose 'bytes read/delivery' a ChatterWeb run reports). 0: the peer's own small fragment.",
        }, 0, 64 * 1024);

        var command = new Command("fanout", "R rooms x M members, open-loop sends at X msg/s: deliveries/s, send->receive latency, loss, duplicates, order, server CPU per delivery.");
        foreach (var o in new Option[] { rooms, members, users, rate, duration, warmup, grace, findKnee, target, factor, maxSteps, parallel, peer, peerFragment })
            command.Options.Add(o);
        common.AddTo(command);
        command.Validators.Add(r =>
        {
            if ((long)r.GetValue(rooms) * r.GetValue(members) > 15_000)
                r.AddError("--rooms x --members is at most 15,000 sockets");
            // Whether --peer was given, not its value: reading a value the option rejected would throw here.
            if (r.GetResult(peer) is not null && (r.GetValue(common.Url) is { Length: > 0 } || r.GetValue(common.Instances) > 1))
                r.AddError("--peer starts its own peer: it goes with neither --url nor --instances");
            if (r.GetResult(peerFragment) is not null && r.GetResult(peer) is null)
                r.AddError("--peer-fragment-bytes pads the peer's fragments: it goes with --peer");
        });
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "fanout") with { RawKestrelPeer = parse.GetValue(peer) == "raw-kestrel" };
            if (parse.GetValue(peerFragment) is var padTo and > 0)
                c = c with { ServerSettings = new Dictionary<string, string>(c.ServerSettings) { ["Peer__FragmentBytes"] = padTo.ToString(CultureInfo.InvariantCulture) } };
            var smoke = c.Smoke;
            var s = new Settings(
                CommonOptions.Pick(parse, rooms, smoke, 2),
                CommonOptions.Pick(parse, members, smoke, 10),
                CommonOptions.Pick(parse, users, smoke, 4),
                CommonOptions.Pick(parse, rate, smoke, 40.0),
                CommonOptions.Pick(parse, duration, smoke, 3.0),
                CommonOptions.Pick(parse, warmup, smoke, 1.0),
                CommonOptions.Pick(parse, grace, smoke, 15.0), // only waited for when something is missing
                parse.GetValue(findKnee),
                parse.GetValue(target),
                parse.GetValue(factor),
                CommonOptions.Pick(parse, maxSteps, smoke, 3),
                parse.GetValue(parallel));
            s = s with { Users = Math.Min(s.Users, s.Rooms * s.Members) };
            var title = $"fanout: {s.Rooms} rooms x {s.Members} members" + (s.FindKnee ? $", knee for p99 <= {s.TargetP99} ms" : $", {s.Rate:0.#} msg/s for {s.Duration:0.#} s");
            return await ScenarioHost.RunAsync(c, "fanout", title, (context, token) => RunAsync(context, s, token), ct);
        });
        return command;
    }

    /// <summary>Counts frames during setup (presence storms) and ignores them.</summary>
    private sealed class SetupSink : IFrameSink
    {
        public long Frames;
        public long Closed;

        public void OnFrame(BenchSocket socket, ReadOnlySpan<byte> frame, long receivedAt)
        {
            Interlocked.Increment(ref Frames);
            if (Wire.Read(frame).Messages)
            {
                var rest = frame;
                while (Wire.NextMessage(ref rest, out var seq, out _))
                    ((SeqTracker)socket.State!).See(seq);
            }
        }

        public void OnClosed(BenchSocket socket, System.Net.WebSockets.WebSocketCloseStatus? status, Exception? error) => Interlocked.Increment(ref Closed);
    }

    private static async Task RunAsync(ScenarioContext context, Settings s, CancellationToken ct)
    {
        var (targets, report) = (context.Targets, context.Report);
        report.Parameter("rooms", s.Rooms).Parameter("members per room (sockets)", s.Members).Parameter("distinct users", s.Users)
            .Parameter("instances", string.Join(", ", targets.Instances)).Parameter("database", targets.Database).Parameter("warm-up s", s.Warmup).Parameter("grace s", s.Grace);
        if (s.FindKnee)
            report.Parameter("start rate msg/s", s.Rate).Parameter("step factor", s.StepFactor).Parameter("step s", s.Duration).Parameter("target p99 ms", s.TargetP99);
        else
            report.Parameter("rate msg/s", s.Rate).Parameter("duration s", s.Duration);
        report.Data["settings"] = s;

        // --- setup: people, rooms, sockets (placed so that socket i is in room i / M)
        var runId = Population.NewRunId();
        var clock = Stopwatch.StartNew();
        var total = s.Rooms * s.Members;
        List<ChatClient> users;
        List<string> slugs;
        double signUpSeconds = 0, pagesSeconds = 0;
        var pagesOpened = 0;
        if (targets.IsRawKestrelPeer)
        {
            // No accounts and no pages: a room is just the slug in its socket's URL.
            users = [.. Enumerable.Range(0, s.Users).Select(i => ChatClient.Anonymous(targets.Instances[0], $"bench-{runId}-{i}"))];
            slugs = [.. Enumerable.Range(0, s.Rooms).Select(r => $"bench-{runId}-room-{r}")];
            report.Parameter("target", "the raw Kestrel peer (ChatterWeb.Bench.Peer)");
        }
        else
        {
            users = await Population.SignUpAsync(targets, s.Users, runId, parallel: 4, ct);
            signUpSeconds = clock.Elapsed.TotalSeconds;
            slugs = await Population.CreateRoomsAsync(users[0], s.Rooms, runId, ct);
            clock.Restart();
            using (Progress.Start("opening room pages", () => "each person's rooms, once (membership)"))
                pagesOpened = await Population.OpenRoomPagesAsync(Enumerable.Range(0, total).Select(i => (users[i % s.Users], slugs[i / s.Members])), parallel: 4, ct);
            pagesSeconds = clock.Elapsed.TotalSeconds;
        }

        var setup = new SetupSink();
        clock.Restart();
        BenchSocket?[] sockets;
        List<Population.ConnectFailure> failures;
        using (Progress.Start("connecting", () => $"{total} sockets, {Interlocked.Read(ref setup.Frames)} setup frames"))
        {
            (sockets, failures) = await Population.ConnectAsync(total,
                i => (targets.InstanceFor(i), slugs[i / s.Members], users[i % s.Users]),
                setup, s.ConnectParallel, TimeSpan.FromSeconds(30), null, ct);
        }
        var visibleTabs = VisibleTabs(total, s);
        foreach (var socket in sockets)
        {
            if (socket is not null)
                socket.State ??= new SeqTracker { VisibleTab = visibleTabs.Contains(socket.Index) };
        }
        var connectSeconds = clock.Elapsed.TotalSeconds;
        using (Progress.Start("settling", () => $"{Interlocked.Read(ref setup.Frames)} setup frames (presence) so far"))
            await Population.WaitQuietAsync(sockets, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), ct);

        var live = Enumerable.Range(0, s.Rooms)
            .Select(r => Enumerable.Range(r * s.Members, s.Members).Where(i => sockets[i] is not null).ToArray()).ToArray();
        if (live.Any(l => l.Length == 0))
            throw new InvalidOperationException($"a room has no connected socket; first failure: {failures.FirstOrDefault()}");
        var pageUrl = sockets.Select((sock, i) => $"{targets.InstanceFor(i).ToString().TrimEnd('/')}/rooms/{slugs[i / s.Members]}").ToArray();

        var setupTable = new Table("Setup", "what", "value")
            .Add("people signed up (Register page)", s.Users)
            .Add("sign-up time s", signUpSeconds)
            .Add("room pages opened (each person joins their rooms)", pagesOpened)
            .Add("room pages time s", pagesSeconds)
            .Add("sockets opened", total - failures.Count)
            .Add("socket failures", failures.Count)
            .Add("connect time s", connectSeconds)
            .Add("setup frames received (presence, acks)", Interlocked.Read(ref setup.Frames));
        report.Tables.Add(setupTable);
        if (failures.Count > 0)
        {
            report.Fail($"{failures.Count} sockets failed to connect (first: {failures[0].Reason})");
            report.Data["connectFailures"] = failures.Take(20).ToList();
        }
        if (setup.Closed > 0)
            report.Fail($"{setup.Closed} sockets were closed during setup");

        // --- warm-up, then the measured step(s)
        var nextId = 0L;
        if (s.Warmup > 0)
        {
            var warm = await RunStepAsync(targets, sockets, live, pageUrl, s, s.Rate, s.Warmup, nextId, "warm-up", ct);
            nextId += (long)Math.Ceiling(s.Rate * s.Warmup);
            report.Data["warmup"] = Slim(warm);
            var dead = sockets.Count(x => x is not null && x.WebSocketState != System.Net.WebSockets.WebSocketState.Open);
            if (dead > 0)
                report.Fail($"{dead} sockets were closed by the server during the warm-up (slow consumer 1013? see stderr); the measured step runs without them");
        }
        var steps = new List<StepResult>();
        var rate = s.Rate;
        for (var step = 0; step < (s.FindKnee ? s.MaxSteps : 1); step++)
        {
            var label = s.FindKnee ? $"step {step + 1}: {rate:0.#} msg/s" : $"{rate:0.#} msg/s";
            var result = await RunStepAsync(targets, sockets, live, pageUrl, s, rate, s.Duration, nextId, label, ct);
            nextId += (long)Math.Ceiling(rate * s.Duration);
            steps.Add(result);
            Console.Error.WriteLine($"  {label}: {result.DeliveriesPerSecond:N0} deliveries/s, p99 {result.Latency.P99:0.0} ms, lost {result.Lost}, dup {result.Duplicates}, ooo {result.OutOfOrder}");
            if (!s.FindKnee || !result.Held(s.TargetP99))
                break;
            rate = Math.Round(rate * s.StepFactor, 1);
            await Population.WaitQuietAsync(sockets, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), ct);
        }

        using (Progress.Start("closing", () => $"{total} sockets"))
            await Population.CloseAllAsync(sockets);
        foreach (var u in users)
            u.Dispose();

        Summarise(report, context.OutputDirectory, s, steps, targets.Pids.Count > 0);
    }

    /// <summary>
    /// One visible tab per person (the others are background tabs): socket i is person i % users's
    /// tab in room i / members, and person u looks at room u % rooms (their first socket there), so
    /// the people reading along are spread over the rooms.
    /// </summary>
    internal static HashSet<int> VisibleTabs(int total, Settings s)
    {
        var chosen = new Dictionary<int, int>();
        for (var i = 0; i < total; i++)
        {
            var person = i % s.Users;
            var room = i / s.Members;
            if (!chosen.TryGetValue(person, out var current) || (current / s.Members != person % s.Rooms && room == person % s.Rooms))
                chosen[person] = i;
        }
        return [.. chosen.Values];
    }

    /// <summary>WebSocket messages the server wrote (a coalesced send counts once): sends per delivery shows how much coalescing and the per-user stream add.</summary>
    private const string FramesSentMetric = "chatter_frames_sent_total";

    private static async Task<StepResult> RunStepAsync(
        TargetSet targets, BenchSocket?[] sockets, int[][] live, string[] pageUrl, Settings s,
        double rate, double seconds, long firstId, string label, CancellationToken ct)
    {
        var count = (int)Math.Ceiling(rate * seconds);
        var frequency = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp() + frequency / 20;
        var ledger = new DeliveryLedger(firstId, count, start, s.Rooms, s.Members, targets.Instances.Count);
        foreach (var socket in sockets)
        {
            if (socket is not null)
                socket.Sink = ledger;
        }

        var serverCpu0 = targets.ServerCpu();
        var benchCpu0 = ProcStats.Self().Cpu;
        var machine0 = ProcStats.Machine();
        var framesSent0 = ServerMetrics.Value(await ServerMetrics.TryReadAsync(targets, ct), FramesSentMetric);
        var bytesRead0 = BenchSocket.Received(sockets).Bytes;
        var sent = 0L;
        var expected = 0L;
        var ticksPerMessage = frequency / rate;

        // The timetable: message i is due at start + i/rate and carries that time, however late it goes out.
        var sender = new Thread(() =>
        {
            for (var i = 0; i < count && !ct.IsCancellationRequested; i++)
            {
                var due = start + (long)(i * ticksPerMessage);
                while (Stopwatch.GetTimestamp() < due)
                    Thread.Sleep(1);
                var id = firstId + i;
                var room = (int)(id % s.Rooms);
                var members = live[room];
                var from = members[(int)(id / s.Rooms % members.Length)];
                var clientMessageId = Guid.NewGuid();
                ledger.Sent(clientMessageId, due);
                sockets[from]!.Send(Wire.MessageFrame(Wire.Body(due, id, from), pageUrl[from], clientMessageId));
                expected += members.Length;
                Volatile.Write(ref sent, i + 1);
            }
        })
        { IsBackground = true, Name = "fanout sender" };
        sender.Start();

        IntervalStat? lastInterval = null;
        using (Progress.Start(label, () =>
                   $"sent {Volatile.Read(ref sent)}/{count}, delivered {ledger.Delivered:N0}, last second's p99 {lastInterval?.P99Ms ?? 0:0.0} ms"))
        {
            var nextTick = start + frequency;
            while (sender.IsAlive)
            {
                await Task.Delay(100, ct);
                if (Stopwatch.GetTimestamp() >= nextTick)
                {
                    lastInterval = ledger.Latency.Tick((nextTick - start) / (double)frequency);
                    ledger.AckLatency.Tick((nextTick - start) / (double)frequency);
                    nextTick += frequency;
                }
            }
            sender.Join();
            var expectedTotal = Interlocked.Read(ref expected);
            var graceEnd = Stopwatch.GetTimestamp() + (long)(s.Grace * frequency);
            var sentTotal = Volatile.Read(ref sent);
            while ((ledger.Delivered < expectedTotal || ledger.Acks + ledger.Errors < sentTotal)
                   && Stopwatch.GetTimestamp() < graceEnd && ledger.SocketsClosed == 0)
            {
                await Task.Delay(50, ct);
                if (Stopwatch.GetTimestamp() >= nextTick)
                {
                    lastInterval = ledger.Latency.Tick((nextTick - start) / (double)frequency);
                    ledger.AckLatency.Tick((nextTick - start) / (double)frequency);
                    nextTick += frequency;
                }
            }
            lastInterval = ledger.Latency.Tick((Stopwatch.GetTimestamp() - start) / (double)frequency);
            ledger.AckLatency.Tick((Stopwatch.GetTimestamp() - start) / (double)frequency);
        }

        var end = Stopwatch.GetTimestamp();
        var serverCpu1 = targets.ServerCpu();
        var benchCpu1 = ProcStats.Self().Cpu;
        var machine1 = ProcStats.Machine();
        var framesSent1 = ServerMetrics.Value(await ServerMetrics.TryReadAsync(targets, ct), FramesSentMetric);
        var bytesRead = BenchSocket.Received(sockets).Bytes - bytesRead0;
        var wall = (end - start) / (double)frequency;
        var delivered = ledger.Delivered;
        var exp = Interlocked.Read(ref expected);
        var lastAt = ledger.LastReceivedAt;
        var activeSeconds = Math.Max(seconds, lastAt > start ? (lastAt - start) / (double)frequency : seconds);
        var cpu = serverCpu1 - serverCpu0;
        var machine = machine1 is { } m1 && machine0 is { } m0 ? m1.Since(m0) : (MachineCpuSample?)null;
        var latency = ledger.Latency.Summary();

        return new StepResult(
            rate, Math.Round(seconds, 3), Volatile.Read(ref sent), ledger.Acks, ledger.Errors, ledger.FirstError,
            exp, delivered, Math.Max(0, exp - delivered), ledger.Duplicates, ledger.OutOfOrder, ledger.Misrouted, ledger.SocketsClosed,
            Math.Round(rate * (exp / (double)Math.Max(1, Volatile.Read(ref sent)))), Math.Round(delivered / activeSeconds),
            latency,
            ledger.AckLatency.Summary(),
            cpu?.TotalSeconds,
            cpu is { } c && delivered > 0 ? Math.Round(c.TotalMilliseconds * 1000 / delivered, 2) : null,
            cpu is { } c2 ? PercentOfStep(c2) : null,
            PercentOfStep(benchCpu1 - benchCpu0),
            ledger.Latency.Intervals,
            ledger.PerSecond((int)Math.Ceiling(activeSeconds)),
            LatencyRecorder.PercentileCurve(ledger.Latency.Total),
            targets.Instances.Count > 1 ? Final(ledger.SameInstance) : null,
            targets.Instances.Count > 1 ? Final(ledger.CrossInstance) : null,
            framesSent1 - framesSent0 is double frames && delivered > 0 ? Math.Round(frames / delivered, 3) : null,
            delivered > 0 ? Math.Round(bytesRead / (double)delivered) : null,
            machine is { } m ? PercentOfStep(m.Busy) : null,
            machine is { } m2 ? PercentOfStep(m2.SoftIrq) : null);

        // CPU time over the step's wall time, in % of one core
        double PercentOfStep(TimeSpan cpuTime) => Math.Round(100 * cpuTime.TotalSeconds / wall, 1);

        LatencySummary Final(LatencyRecorder recorder)
        {
            recorder.Tick((Stopwatch.GetTimestamp() - start) / (double)frequency);
            return recorder.Summary();
        }
    }

    /// <summary>The step without its per-second series (for the warm-up entry in the JSON).</summary>
    private static object Slim(StepResult r) => new { r.Rate, r.Seconds, r.Sent, r.Delivered, r.Lost, r.Latency };

    private static void Summarise(Report report, string outDir, Settings s, List<StepResult> steps, bool haveCpu)
    {
        var table = new Table(s.FindKnee ? "Steps" : "Result",
            "rate msg/s", "offered deliveries/s", "deliveries/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
            "lost", "dup", "out-of-order", "send->ack p50 ms", "send->ack p99 ms", "server CPU µs/delivery", "server CPU %", "bench CPU %", "server sends/delivery", "bytes read/delivery", "machine CPU %", "softirq %");
        foreach (var r in steps)
        {
            table.Add(r.Rate, r.OfferedDeliveriesPerSecond, r.DeliveriesPerSecond, r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max,
                r.Lost, r.Duplicates, r.OutOfOrder, r.AckLatency.P50, r.AckLatency.P99, r.ServerCpuMicrosPerDelivery, r.ServerCpuPercent, r.BenchCpuPercent, r.ServerSendsPerDelivery, r.BytesReadPerDelivery, r.MachineCpuPercent, r.SoftIrqPercent);
        }
        report.Tables.Insert(0, table);
        if (steps.Any(r => r.CrossInstance is not null))
        {
            var hop = new Table("The Redis hop (deliveries on the sender's instance vs on another instance)",
                "rate msg/s", "same instance p50 ms", "same instance p99 ms", "other instance p50 ms", "other instance p99 ms", "added by the hop p50 ms", "added p99 ms");
            foreach (var r in steps.Where(r => r.CrossInstance is not null))
            {
                hop.Add(r.Rate, r.SameInstance!.P50, r.SameInstance.P99, r.CrossInstance!.P50, r.CrossInstance.P99,
                    Math.Round(r.CrossInstance.P50 - r.SameInstance.P50, 2), Math.Round(r.CrossInstance.P99 - r.SameInstance.P99, 2));
            }
            report.Tables.Insert(1, hop);
        }
        report.Data["steps"] = steps;

        report.Plots.Add(Plotter.Percentiles(outDir, "fanout-latency.png", $"fanout send->receive latency ({s.Rooms} rooms x {s.Members} members)",
            steps.Select(r => ($"{r.Rate:0.#} msg/s ({r.DeliveriesPerSecond:N0} deliveries/s)", r.PercentileCurve))));

        var timeline = new List<Plotter.Series>();
        double offset = 0;
        var xs = new List<double>();
        var delivered = new List<double>();
        var p99x = new List<double>();
        var p99 = new List<double>();
        foreach (var r in steps)
        {
            for (var i = 0; i < r.DeliveriesPerSecondTimeline.Length; i++)
            {
                xs.Add(offset + i + 1);
                delivered.Add(r.DeliveriesPerSecondTimeline[i]);
            }
            foreach (var iv in r.Intervals.Where(iv => iv.Count > 0))
            {
                p99x.Add(offset + iv.AtSeconds);
                p99.Add(iv.P99Ms);
            }
            offset += Math.Max(r.DeliveriesPerSecondTimeline.Length, r.Seconds);
        }
        timeline.Add(new Plotter.Series("deliveries/s", [.. xs], [.. delivered]));
        timeline.Add(new Plotter.Series("p99 of each second (ms, right axis)", [.. p99x], [.. p99], RightAxis: true));
        report.Plots.Add(Plotter.Lines(outDir, "fanout-timeline.png", "fanout: deliveries per second and p99 over the run", "seconds", "deliveries/s", "p99 ms", timeline));

        if (s.FindKnee)
        {
            report.Plots.Add(Plotter.Lines(outDir, "fanout-knee.png", $"fanout knee: p99 against offered load (target {s.TargetP99} ms)",
                "offered deliveries/s", "ms", null,
            [
                new Plotter.Series("p99", steps.Select(r => r.OfferedDeliveriesPerSecond).ToArray(), steps.Select(r => r.Latency.P99).ToArray()),
                new Plotter.Series("p50", steps.Select(r => r.OfferedDeliveriesPerSecond).ToArray(), steps.Select(r => r.Latency.P50).ToArray()),
                new Plotter.Series($"target {s.TargetP99} ms", [steps.Min(r => r.OfferedDeliveriesPerSecond), steps.Max(r => r.OfferedDeliveriesPerSecond)], [s.TargetP99, s.TargetP99]),
            ]));
            var held = steps.Where(r => r.Held(s.TargetP99)).ToList();
            var best = held.Count > 0 ? held.MaxBy(r => r.Rate) : null;
            report.Data["knee"] = best is null ? null : new { best.Rate, best.DeliveriesPerSecond, best.Latency.P99 };
            report.Notes.Add(best is null
                ? $"Knee: even the first step ({steps[0].Rate:0.#} msg/s) missed p99 <= {s.TargetP99} ms without loss."
                : $"Knee: the highest rate that held p99 <= {s.TargetP99} ms with nothing lost was {best.Rate:0.#} msg/s = {best.DeliveriesPerSecond:N0} deliveries/s (p99 {best.Latency.P99:0.0} ms)" +
                  (steps.Count == s.MaxSteps && steps[^1].Held(s.TargetP99) ? $"; it still held at the last step (--max-steps {s.MaxSteps}), so the knee is higher." : "."));
        }

        report.Notes.Add("Latency: from the message's scheduled send time (carried in its body) to reading the pushed fragment on each member socket; open loop, so client or server lag both count.");
        report.Notes.Add("send->ack: scheduled send time to the sender's acknowledgement fragment, which the server sends after the message is stored and handed to the room (persisting, not fanning out).");
        report.Notes.Add($"A delivery is one message fragment read by one member socket; the sender's own socket counts (it receives the broadcast too). Lost = expected deliveries not read within {s.Grace:0.#} s after the last send.");
        report.Notes.Add("Machine CPU: all cores' busy time from /proc/stat over the step, out of 100% per core: the server, the bench, everything else running and the kernel. Softirq: the kernel's softirq share of it (mostly the loopback network's packet work; a kernel with tick accounting also charges it to the process it interrupted).");
        report.Notes.Add("Bytes read/delivery: WebSocket payload the bench's sockets read over the step (fragments, acknowledgements, presence), divided by deliveries.");
        if (haveCpu)
            report.Notes.Add("Server CPU: utime+stime of the server process from /proc/<pid>/stat over the step (sending plus grace), divided by deliveries. Bench CPU is the load generator's own share of the same machine.");
        else
            report.Notes.Add("No server pid (--url without --server-pid): no server CPU figures.");

        // Checks: in a plain run (and in --find-knee, the first step) nothing may be lost, doubled, reordered or refused.
        var checkedSteps = s.FindKnee ? steps.Take(1) : steps;
        foreach (var r in checkedSteps)
        {
            if (r.Lost > 0) report.Fail($"{r.Rate:0.#} msg/s: {r.Lost} deliveries lost of {r.Expected}");
            if (r.Duplicates > 0) report.Fail($"{r.Rate:0.#} msg/s: {r.Duplicates} duplicate deliveries");
            if (r.OutOfOrder > 0) report.Fail($"{r.Rate:0.#} msg/s: {r.OutOfOrder} out-of-order deliveries");
            if (r.Misrouted > 0) report.Fail($"{r.Rate:0.#} msg/s: {r.Misrouted} messages reached another room's socket");
            if (r.Errors > 0) report.Fail($"{r.Rate:0.#} msg/s: {r.Errors} error fragments (first: {r.FirstError})");
            if (r.SocketsClosed > 0) report.Fail($"{r.Rate:0.#} msg/s: {r.SocketsClosed} sockets closed during the run");
            if (r.Acked < r.Sent) report.Fail($"{r.Rate:0.#} msg/s: {r.Sent - r.Acked} of {r.Sent} sends were not acknowledged");
        }
    }
}

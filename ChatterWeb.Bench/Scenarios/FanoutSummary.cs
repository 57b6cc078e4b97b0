using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;

namespace ChatterWeb.Bench.Scenarios;

/// <summary><c>fanout</c>'s report: the table of steps, the plots and the JSON.</summary>
internal static class FanoutSummary
{
    /// <summary>The step without its per-second series (for the warm-up entry in the JSON).</summary>
    internal static object Slim(FanoutStepResult r) => new { r.Rate, r.Seconds, r.Sent, r.Delivered, r.Lost, r.Latency };

    internal static void Write(Report report, string outDir, FanoutScenario.Settings s, List<FanoutStepResult> steps, bool haveCpu)
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

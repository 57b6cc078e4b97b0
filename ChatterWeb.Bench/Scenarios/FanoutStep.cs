using System.Diagnostics;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>One timed step of <c>fanout</c> at one rate: the open-loop sends on their timetable, the deliveries read back, the server's CPU and sends.</summary>
internal static class FanoutStep
{
    /// <summary>WebSocket messages the server wrote (a coalesced send counts once): sends per delivery shows how much coalescing and the per-user stream add.</summary>
    private const string FramesSentMetric = "chatter_frames_sent_total";

    internal static async Task<FanoutStepResult> RunAsync(
        TargetSet targets, BenchSocket?[] sockets, int[][] live, string[] pageUrl, FanoutScenario.Settings s,
        double rate, double seconds, long firstId, string label, CancellationToken ct, Hooks? hooks = null)
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
                if (hooks is not null)
                    hooks.Post(room, Wire.Body(due, id, from), clientMessageId, ledger);
                else
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

        return new FanoutStepResult(
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
            machine is { } m ? m.PercentOf(m.Busy, Environment.ProcessorCount) : null,
            machine is { } m2 ? m2.PercentOf(m2.SoftIrq, Environment.ProcessorCount) : null);

        // CPU time over the step's wall time, in % of one core
        double PercentOfStep(TimeSpan cpuTime) => Math.Round(100 * cpuTime.TotalSeconds / wall, 1);

        LatencySummary Final(LatencyRecorder recorder)
        {
            recorder.Tick((Stopwatch.GetTimestamp() - start) / (double)frequency);
            return recorder.Summary();
        }
    }
}

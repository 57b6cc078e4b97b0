using System.Diagnostics;
using System.Text.RegularExpressions;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>What the measured part of the office day cost: server, bench and machine CPU, and the server's sends.</summary>
public sealed record OfficeDayWindow(double Seconds, long MessagesSent, double? ServerCpuSeconds, double BenchCpuSeconds, double? MachineBusySeconds, double? SoftIrqSeconds, double? ServerFramesSent);

/// <summary>
/// The office day's timetable, run against the server: tabs open (the room page, its socket, the
/// page's resume) and close (once they have every message they were owed, or the grace is over),
/// typing and messages go out from their tabs at their planned times, open loop (each message
/// carries its scheduled time, late or not). All deliveries are booked by the <see cref="OfficeLedger"/>.
/// </summary>
internal sealed partial class OfficeDayRun(OfficeDayPlan plan, OfficeDaySettings s, TargetSet targets, IReadOnlyList<ChatClient> people, IReadOnlyList<string> slugs, OfficeLedger ledger)
{
    private const string FramesSentMetric = "chatter_frames_sent_total";

    private readonly Task?[] _opening = new Task?[plan.Tabs.Count];
    private readonly List<Task> _work = [];
    private long _opened, _closed, _typing, _openFailures;
    private string? _firstOpenFailure;
    private int _eventsDone;

    public BenchSocket?[] Sockets { get; } = new BenchSocket?[plan.Tabs.Count];

    /// <summary>From deciding to open a tab to its resume answered: the page, the handshake and the resume.</summary>
    public LatencyRecorder TabOpen { get; } = new();

    public long Opened => Interlocked.Read(ref _opened);
    public long Closed => Interlocked.Read(ref _closed);
    public long TypingSent => Interlocked.Read(ref _typing);
    public long OpenFailures => Interlocked.Read(ref _openFailures);
    public string? FirstOpenFailure => _firstOpenFailure;

    private string PageUrl(int tab) => $"{targets.InstanceFor(tab).ToString().TrimEnd('/')}/rooms/{slugs[plan.Tabs[tab].Room]}";

    /// <summary>Opens the tabs open from the start, each with the page's resume, and books each in its room once that is answered.</summary>
    public async Task<List<Population.ConnectFailure>> OpenInitialTabsAsync(Func<long> setupFrames, CancellationToken ct)
    {
        for (var i = 0; i < plan.InitialTabs; i++)
            ledger.Track(i, plan.Tabs[i].Room, plan.Tabs[i].Visible);
        BenchSocket?[] sockets;
        List<Population.ConnectFailure> failures;
        using (Progress.Start("opening tabs", () => $"{plan.InitialTabs} sockets, {setupFrames()} setup frames"))
        {
            (sockets, failures) = await Population.ConnectAsync(plan.InitialTabs,
                i => (targets.InstanceFor(i), slugs[plan.Tabs[i].Room], people[plan.Tabs[i].Person]), ledger, s.ConnectParallel, TimeSpan.FromSeconds(30), null, ct);
        }
        for (var i = 0; i < sockets.Length; i++)
        {
            Sockets[i] = sockets[i];
            sockets[i]?.Send(Wire.ResumeFrame(0, 0)); // the rooms are empty: the page shows no message yet
        }
        for (var i = 0; i < sockets.Length; i++)
        {
            if (sockets[i] is null)
                continue;
            try
            {
                await ledger.Resumed(i).WaitAsync(TimeSpan.FromSeconds(60), ct);
                ledger.Join(i);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                failures.Add(new Population.ConnectFailure(i, "resume not answered: " + e.Message));
            }
        }
        return failures;
    }

    /// <summary>Runs the timetable from <paramref name="start"/> (Stopwatch time of plan time 0) and books the measured part's costs.</summary>
    public async Task<OfficeDayWindow> RunAsync(long start, CancellationToken ct)
    {
        var frequency = Stopwatch.Frequency;
        var sender = new Thread(() => Timetable(start, ct)) { IsBackground = true, Name = "office day timetable" };
        var measureFrom = start + (long)(s.Warmup * frequency);
        var measureTo = measureFrom + (long)(s.Duration * frequency);
        ledger.MeasuredFrom = measureFrom;
        var firstMeasured = plan.Messages.Count(m => m.At < s.Warmup);
        var lastMeasured = plan.Messages.Count(m => m.At < s.Length);
        sender.Start();

        Snapshot? from = null, to = null;
        async Task<Snapshot> Sample() => new(targets.ServerCpu(), ProcStats.Self().Cpu, ProcStats.Machine(),
            ServerMetrics.Value(await ServerMetrics.TryReadAsync(targets, ct), FramesSentMetric), Stopwatch.GetTimestamp());
        var nextTick = measureFrom + frequency;
        using (Progress.Start("office day", () => Status(start)))
        {
            while (sender.IsAlive || to is null)
            {
                await Task.Delay(50, ct);
                var now = Stopwatch.GetTimestamp();
                if (from is null && now >= measureFrom)
                    from = await Sample();
                if (to is null && now >= measureTo)
                    to = await Sample();
                if (now >= nextTick)
                {
                    ledger.Latency.Tick((nextTick - measureFrom) / (double)frequency);
                    ledger.AckLatency.Tick((nextTick - measureFrom) / (double)frequency);
                    nextTick += frequency;
                }
            }
            sender.Join();
            Task[] work;
            lock (_work)
                work = [.. _work];
            await Task.WhenAll(work); // tabs still opening or closing
            var graceEnd = Stopwatch.GetTimestamp() + (long)(s.Grace * frequency);
            var sent = plan.Messages.Count - ledger.SkippedSends;
            while ((ledger.Delivered < ledger.Expected || ledger.Acks + ledger.Errors < sent) && Stopwatch.GetTimestamp() < graceEnd)
                await Task.Delay(50, ct);
        }
        ledger.Latency.Tick((Stopwatch.GetTimestamp() - measureFrom) / (double)frequency);
        ledger.AckLatency.Tick((Stopwatch.GetTimestamp() - measureFrom) / (double)frequency);

        var (f, t) = (from!.Value, to!.Value);
        return new OfficeDayWindow((t.At - f.At) / (double)frequency, lastMeasured - firstMeasured,
            (t.Server - f.Server)?.TotalSeconds, (t.Bench - f.Bench).TotalSeconds,
            t.Machine is { } m1 && f.Machine is { } m0 ? m1.Since(m0).Busy.TotalSeconds : null,
            t.Machine is { } n1 && f.Machine is { } n0 ? n1.Since(n0).SoftIrq.TotalSeconds : null,
            t.Frames - f.Frames);
    }

    private readonly record struct Snapshot(TimeSpan? Server, TimeSpan Bench, MachineCpuSample? Machine, double? Frames, long At);

    private string Status(long start)
    {
        var at = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        var phase = at < s.Warmup ? "warm-up" : at < s.Length ? "measured" : "grace";
        return $"{phase} {at:0}/{s.Length:0} s, events {Volatile.Read(ref _eventsDone)}/{plan.Events.Count}, delivered {ledger.Delivered:N0}, tabs opened {Opened}, closed {Closed}";
    }

    private void Timetable(long start, CancellationToken ct)
    {
        for (var i = 0; i < plan.Events.Count && !ct.IsCancellationRequested; i++)
        {
            var e = plan.Events[i];
            var due = start + (long)(e.At * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < due)
                Thread.Sleep(1);
            switch (e.Kind)
            {
                case OfficeDayPlan.Kind.Open:
                    ledger.Track(e.Index, plan.Tabs[e.Index].Room, plan.Tabs[e.Index].Visible);
                    _opening[e.Index] = Spawn(() => OpenTabAsync(e.Index, ct));
                    break;
                case OfficeDayPlan.Kind.Close:
                    Spawn(() => CloseTabAsync(e.Index));
                    break;
                case OfficeDayPlan.Kind.Typing:
                    if (Live(e.Index) is { } typist)
                    {
                        typist.Send(Wire.TypingFrame());
                        Interlocked.Increment(ref _typing);
                    }
                    break;
                case OfficeDayPlan.Kind.Message:
                    Send(e.Index, due);
                    break;
            }
            Volatile.Write(ref _eventsDone, i + 1);
        }
    }

    /// <summary>The tab's socket while it is in its room's books, else null.</summary>
    private BenchSocket? Live(int tab) => Volatile.Read(ref Sockets[tab]) is { } socket && ledger[tab] is { Joined: true, Left: false } ? socket : null;

    private void Send(int id, long due)
    {
        var m = plan.Messages[id];
        // A tab still opening (a slow page or handshake) holds the timetable up: the message goes late
        // and its latency, counted from its planned time, says so.
        if (Live(m.Tab) is null && _opening[m.Tab] is { IsCompleted: false } opening)
            opening.Wait(TimeSpan.FromSeconds(30));
        if (Live(m.Tab) is not { } socket)
        {
            ledger.Skipped(id);
            return;
        }
        var body = new System.Text.StringBuilder(Wire.Body(due, id, m.Tab)).Append(' ');
        ChatText.Append(body, (long)s.Seed * 1_000_003 + id);
        if (m.Mention >= 0)
            body.Append(" @").Append(people[m.Mention].DisplayName);
        var clientMessageId = Guid.NewGuid();
        ledger.Sent(id, m.Tab, clientMessageId, due);
        socket.Send(Wire.MessageFrame(body.ToString(), PageUrl(m.Tab), clientMessageId));
    }

    private Task Spawn(Func<Task> work)
    {
        var task = Task.Run(work);
        lock (_work)
            _work.Add(task);
        return task;
    }

    /// <summary>A new tab: the room page (its newest seq and change mark), the socket, the page's resume; booked in the room once that is answered.</summary>
    private async Task OpenTabAsync(int tab, CancellationToken ct)
    {
        var (person, room) = (plan.Tabs[tab].Person, plan.Tabs[tab].Room);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var page = await people[person].Http.GetStringAsync($"/rooms/{slugs[room]}", ct);
            var afterSeq = SeqOnPage().Matches(page).Select(x => long.Parse(x.Groups[1].Value)).DefaultIfEmpty(0).Max();
            var afterChange = ChangeMarkOnPage().Match(page) is { Success: true } mark ? long.Parse(mark.Groups[1].Value) : 0;
            var socket = await BenchSocket.ConnectAsync(tab, targets.InstanceFor(tab), slugs[room], people[person].Cookies, ledger, TimeSpan.FromSeconds(30), ct);
            Volatile.Write(ref Sockets[tab], socket);
            socket.Send(Wire.ResumeFrame(afterSeq, afterChange));
            await ledger.Resumed(tab).WaitAsync(TimeSpan.FromSeconds(30), ct);
            ledger.Join(tab);
            TabOpen.RecordStopwatchTicks(Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _opened);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            if (Interlocked.Increment(ref _openFailures) == 1)
                _firstOpenFailure = $"tab {tab}: {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Closes a tab as a browser does, once it has every message sent to its room before the decision (or the grace is over).</summary>
    private async Task CloseTabAsync(int tab)
    {
        if (_opening[tab] is { } opening)
            await opening;
        if (Volatile.Read(ref Sockets[tab]) is not { } socket || ledger[tab] is not { Joined: true })
            return;
        await Task.WhenAny(ledger.Leave(tab), Task.Delay(TimeSpan.FromSeconds(s.Grace)));
        ledger.Closing(tab);
        await socket.CloseAsync(TimeSpan.FromSeconds(5));
        Interlocked.Increment(ref _closed);
    }

    [GeneratedRegex("<article [^>]*data-seq=\"(\\d+)\"")]
    private static partial Regex SeqOnPage();

    [GeneratedRegex("<div id=\"change-mark\" data-change=\"(\\d+)\"")]
    private static partial Regex ChangeMarkOnPage();
}

using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>Everything an office day ends with, for its report.</summary>
internal sealed record OfficeDayOutcome(
    OfficeDaySettings Settings, OfficeDayPlan Plan, OfficeDaySetup Setup, OfficeLedger Ledger, OfficeDayRun Run,
    OfficeDayWindow Window, long BytesRead, long? ServerRssAtEnd, int OpenSockets);

/// <summary><c>officeday</c>'s report: the plan, the setup, the result against its goals, the plots and the checks.</summary>
internal static class OfficeDaySummary
{
    public const double GoalP99 = 10, GoalP999 = 50, GoalMachineBusy = 50;

    internal static void Write(Report report, string outDir, OfficeDayOutcome o)
    {
        var (s, plan, ledger, w) = (o.Settings, o.Plan, o.Ledger, o.Window);
        var sizes = OfficeDayPlan.RoomSizes(s.People, s.Rooms);
        var direct = plan.Members.Skip(s.Rooms).ToList();
        var messages = plan.Messages;
        var busiest = messages.GroupBy(m => m.Room).Select(g => g.Count() / s.Length).DefaultIfEmpty(0).Max();
        report.Parameter("people", s.People).Parameter("open rooms", s.Rooms).Parameter("direct-message rooms", direct.Count)
            .Parameter("tabs per person", $"1 to {s.MaxTabs}").Parameter("posting people", $"{s.ActiveShare:P0}, {s.MessagesPerMinute:0.#} messages/min each")
            .Parameter("bursts", $"{s.BurstsPerMinute:0.#}/min at {s.BurstRate:0.#} msg/s").Parameter("tab churn per person per hour", s.ChurnPerHour)
            .Parameter("mentions", $"{s.MentionShare:P0}").Parameter("warm-up s", s.Warmup).Parameter("measured s", s.Duration)
            .Parameter("grace s", s.Grace).Parameter("seed", s.Seed);

        var cores = Environment.ProcessorCount;
        var latency = ledger.Latency.Summary();
        var acks = ledger.AckLatency.Summary();
        var delivered = ledger.MeasuredDelivered;
        var machineBusy = w.MachineBusySeconds is { } busy ? Math.Round(100 * busy / (w.Seconds * cores), 1) : (double?)null;
        var result = new Table("Result (the measured part)", "what", "value")
            .Add("messages sent", w.MessagesSent)
            .Add("messages/s", w.MessagesSent / s.Duration)
            .Add("deliveries (message x open socket of its room)", delivered)
            .Add("deliveries/s", delivered / s.Duration)
            .Add("latency p50 ms", latency.P50).Add("latency p90 ms", latency.P90).Add("latency p99 ms", latency.P99)
            .Add("latency p99.9 ms", latency.P999).Add("latency max ms", latency.Max)
            .Add("send->ack p50 / p99 ms", $"{acks.P50:0.00} / {acks.P99:0.00}")
            .Add("lost / duplicate / out of order / misrouted (whole run)", $"{ledger.Lost} / {ledger.Duplicates} / {ledger.OutOfOrder} / {ledger.Misrouted}")
            .Add("server CPU µs/message", w.ServerCpuSeconds is { } c1 && w.MessagesSent > 0 ? c1 * 1e6 / w.MessagesSent : null)
            .Add("server CPU µs/delivery", w.ServerCpuSeconds is { } c2 && delivered > 0 ? c2 * 1e6 / delivered : null)
            .Add("server CPU % of one core", w.ServerCpuSeconds is { } c3 ? 100 * c3 / w.Seconds : null)
            .Add($"machine busy % of all {cores} cores", machineBusy)
            .Add("bench CPU % of one core", 100 * w.BenchCpuSeconds / w.Seconds)
            .Add("server sends/delivery", w.ServerFramesSent is { } f && delivered > 0 ? f / delivered : null)
            .Add("bytes read/delivery (all frames)", ledger.Delivered > 0 ? o.BytesRead / (double)ledger.Delivered : null)
            .Add("server RSS at the end MiB", o.ServerRssAtEnd / 1048576.0)
            .Add("server RSS at the end per open socket KiB", o.ServerRssAtEnd is { } rss && o.OpenSockets > 0 ? rss / 1024.0 / o.OpenSockets : null)
            .Add("server RSS growth since start per open socket KiB", o.ServerRssAtEnd is { } r1 && o.Setup.ServerRssAtStart is { } r0 && o.OpenSockets > 0 ? (r1 - r0) / 1024.0 / o.OpenSockets : null)
            .Add("open sockets at the end", o.OpenSockets);
        report.Tables.Add(result);

        var goals = new Table("Goals", "goal", "figure", "held");
        goals.Add($"p99 <= {GoalP99} ms", latency.P99, latency.Count > 0 && latency.P99 <= GoalP99);
        goals.Add($"p99.9 <= {GoalP999} ms", latency.P999, latency.Count > 0 && latency.P999 <= GoalP999);
        goals.Add($"machine busy < {GoalMachineBusy}%", machineBusy, machineBusy is < GoalMachineBusy);
        report.Tables.Add(goals);

        var (presence, typing, badges, notify, directLists) = ledger.OtherFrames;
        o.Run.TabOpen.Tick(0);
        var tabOpen = o.Run.TabOpen.Summary();
        report.Tables.Add(new Table("The rest of the day (whole run)", "what", "value")
            .Add("typing frames sent / typing signals read", $"{o.Run.TypingSent:N0} / {typing:N0}")
            .Add("read marks sent (visible tabs)", ledger.ReadsSent)
            .Add("frames read with: presence / unread badges / notification signal / direct list", $"{presence:N0} / {badges:N0} / {notify:N0} / {directLists:N0}")
            .Add("bytes read in frames with people-list changes, share of all", $"{ledger.PresenceBytes / 1048576.0:N0} MiB, {(o.BytesRead + o.Setup.SetupBytes > 0 ? 100.0 * ledger.PresenceBytes / (o.BytesRead + o.Setup.SetupBytes) : 0):0}%")
            .Add("tabs closed / opened while running", $"{o.Run.Closed:N0} / {o.Run.Opened:N0}")
            .Add("tab open (page + socket + resume) p50 / p99 / max ms", $"{tabOpen.P50:0.0} / {tabOpen.P99:0.0} / {tabOpen.Max:0.0}")
            .Add("messages read outside a tab's window: live / resume overlap (the page drops these)", $"{ledger.OutsideWindow:N0} / {ledger.ResumeOverlap:N0}"));

        report.Tables.Add(new Table("Plan (from the seed)", "what", "value")
            .Add("open room sizes: largest / median / smallest", $"{sizes.Max():N0} / {sizes.Order().ElementAt(sizes.Length / 2):N0} / {sizes.Min():N0}")
            .Add("open rooms of 1,000+ / under 20", $"{sizes.Count(x => x >= 1000)} / {sizes.Count(x => x < 20)}")
            .Add("direct rooms: pairs / groups", $"{direct.Count(d => d.Length == 2)} / {direct.Count(d => d.Length > 2)}")
            .Add("memberships (open rooms, by page visit)", sizes.Sum())
            .Add("tabs at the start (one visible per person)", plan.InitialTabs)
            .Add("messages: warm-up / measured", $"{messages.Count(m => m.At < s.Warmup):N0} / {messages.Count(m => m.At >= s.Warmup):N0}")
            .Add("of them in bursts / mentioning someone", $"{messages.Count(m => m.Burst):N0} / {messages.Count(m => m.Mention >= 0):N0}")
            .Add("busiest room msg/s (average over the run)", busiest)
            .Add("tab changes (close, then open)", plan.Events.Count(e => e.Kind == OfficeDayPlan.Kind.Close))
            .Add("posts not planned: the person's visible tab had just opened", plan.PostsWithoutTab));

        var st = o.Setup;
        report.Tables.Add(new Table("Setup", "what", "value")
            .Add("sign-up s (Register page)", st.SignUpSeconds).Add("creating rooms s", st.RoomsSeconds).Add("starting direct messages s (/direct)", st.DirectSeconds)
            .Add("room page visits (memberships)", st.PageVisits).Add("room page visits s", st.PagesSeconds)
            .Add("tabs opened / failed", $"{st.TabsOpened:N0} / {st.TabFailures:N0}").Add("opening tabs s", st.ConnectSeconds)
            .Add("settling s (presence)", st.SettleSeconds).Add("setup frames read", st.SetupFrames));

        report.Data["plan"] = new { rooms = sizes, direct = direct.Select(d => d.Length), plan.InitialTabs, messages = messages.Count, plan.PostsWithoutTab, busiestRoomPerSecond = busiest };
        report.Data["setup"] = st;
        report.Data["window"] = w;
        report.Data["latency"] = latency;
        report.Data["ackLatency"] = acks;
        report.Data["tabOpen"] = tabOpen;
        report.Data["counts"] = new
        {
            expected = ledger.Expected, delivered = ledger.Delivered, measuredDelivered = delivered, lost = ledger.Lost, duplicates = ledger.Duplicates,
            outOfOrder = ledger.OutOfOrder, misrouted = ledger.Misrouted, outsideWindow = ledger.OutsideWindow, resumeOverlap = ledger.ResumeOverlap,
            acks = ledger.Acks, errors = ledger.Errors, ledger.FirstError, skipped = ledger.SkippedSends, closedByServer = ledger.ClosedByServer,
            typingSent = o.Run.TypingSent, readsSent = ledger.ReadsSent, presence, typing, badges, notify, directLists,
            tabsOpened = o.Run.Opened, tabsClosed = o.Run.Closed, tabOpenFailures = o.Run.OpenFailures, o.Run.FirstOpenFailure,
        };
        report.Data["goals"] = new { p99 = latency.P99 <= GoalP99, p999 = latency.P999 <= GoalP999, machineBusy = machineBusy is < GoalMachineBusy, machineBusyPercent = machineBusy };
        report.Data["intervals"] = ledger.Latency.Intervals;
        var shortfalls = ledger.Shortfalls();
        report.Data["shortfalls"] = shortfalls.Take(50).Select(x => new { x.Tab, x.Room, x.Owed, x.Got, x.Left }).ToList();
        report.Data["anomalies"] = ledger.Anomalies;

        report.Plots.Add(Plotter.Percentiles(outDir, "officeday-latency.png", $"office day send->delivered latency ({s.People:N0} people, {delivered / s.Duration:N0} deliveries/s)",
            [($"{w.MessagesSent / s.Duration:0.#} msg/s", LatencyRecorder.PercentileCurve(ledger.Latency.Total))]));
        var perSecond = ledger.PerSecond((int)Math.Ceiling(s.Duration));
        var intervals = ledger.Latency.Intervals.Where(iv => iv.Count > 0 && iv.AtSeconds <= s.Duration + 1).ToList();
        report.Plots.Add(Plotter.Lines(outDir, "officeday-timeline.png", "office day: deliveries per second and each second's p99", "seconds (measured part)", "deliveries/s", "p99 ms",
        [
            new Plotter.Series("deliveries/s", [.. perSecond.Select((_, i) => i + 1.0)], [.. perSecond.Select(v => (double)v)]),
            new Plotter.Series("p99 of each second (ms, right axis)", [.. intervals.Select(iv => iv.AtSeconds)], [.. intervals.Select(iv => iv.P99Ms)], RightAxis: true),
        ]));

        report.Notes.Add("Latency: from a message's scheduled send time (in its body) to the moment each open socket of its room reads it (open loop: a late sender or a slow server both count). A tab is owed every message sent while it is in its room: from the answer to its resume to the moment it is told to close; a closing tab closes once it has them (or after the grace).");
        report.Notes.Add("Machine busy: all cores' busy time from /proc/stat over the measured part, as a share of every core (the server, the bench and whatever else runs). Server CPU: utime+stime of the server over the same time, per message and per delivery.");
        report.Notes.Add("Server RSS per open socket: the server's VmRSS at the end (with every tab open) divided by the open sockets; it includes everything else the server holds (the database cache, the JIT, every person's sign-in and read state).");
        report.Notes.Add($"Goals: p99 <= {GoalP99} ms and p99.9 <= {GoalP999} ms for every delivery of the measured part, the machine under {GoalMachineBusy}% busy. They are reported, not enforced; the checks below are.");

        if (ledger.Lost > 0)
            report.Fail($"{ledger.Lost} of {ledger.Expected} deliveries lost, on {shortfalls.Count} tabs ({shortfalls.Count(x => x.Left)} of them closed after the grace; first: " +
                        string.Join(", ", shortfalls.Take(3).Select(x => $"tab {x.Tab} in room {x.Room} got {x.Got} of {x.Owed}")) + ")");
        if (ledger.Duplicates > 0) report.Fail($"{ledger.Duplicates} duplicate deliveries (first: {ledger.Anomalies.FirstOrDefault(a => a.StartsWith("Duplicate", StringComparison.Ordinal))})");
        if (ledger.OutOfOrder > 0) report.Fail($"{ledger.OutOfOrder} out-of-order deliveries (first: {ledger.Anomalies.FirstOrDefault(a => a.StartsWith("OutOfOrder", StringComparison.Ordinal))})");
        if (ledger.Misrouted > 0) report.Fail($"{ledger.Misrouted} messages reached a socket of another room");
        if (ledger.Errors > 0) report.Fail($"{ledger.Errors} error fragments (first: {ledger.FirstError})");
        if (ledger.ClosedByServer > 0) report.Fail($"{ledger.ClosedByServer} tabs were closed by the server");
        if (ledger.SkippedSends > 0) report.Fail($"{ledger.SkippedSends} messages not sent: their tab was not open in time");
        if (o.Run.OpenFailures > 0) report.Fail($"{o.Run.OpenFailures} tabs failed to open while running (first: {o.Run.FirstOpenFailure})");
        var sent = messages.Count - ledger.SkippedSends;
        if (ledger.Acks < sent) report.Fail($"{sent - ledger.Acks} of {sent} sends were not acknowledged");
        if (latency.Count == 0) report.Fail("no delivery was measured");
    }
}

using System.CommandLine;
using System.Diagnostics;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>How the office day was set up: people, rooms, memberships and tabs, and how long each took.</summary>
public sealed record OfficeDaySetup(
    double SignUpSeconds, double RoomsSeconds, double DirectSeconds, int PageVisits, double PagesSeconds,
    int TabsOpened, int TabFailures, double ConnectSeconds, double SettleSeconds, long SetupFrames, long SetupBytes, long? ServerRssAtStart);

/// <summary>
/// <c>officeday</c>: a realistic office day on one instance. People sign up, rooms of long-tailed sizes
/// fill through room page visits, direct messages start through <c>/direct</c>, each person opens 1 to 3
/// tabs in their rooms; then human-rate traffic with bursts, typing, mentions, read marks and tabs
/// coming and going, from a plan fixed by the seed (<see cref="OfficeDayPlan"/>). Every delivery of
/// every message to every socket of its room is booked (<see cref="OfficeLedger"/>): latency from the
/// scheduled send time, and nothing lost, doubled, reordered or misrouted.
/// </summary>
public static class OfficeDayScenario
{
    public static Command Build(CommonOptions common)
    {
        var people = CommonOptions.Range(new Option<int>("--people") { Description = "People signed up (each sign-up hashes a password on the server).", DefaultValueFactory = _ => 2000 }, 2, 15_000);
        var rooms = CommonOptions.Range(new Option<int>("--rooms") { Description = "Open rooms; the room of rank r holds people/r of them, at least 3 (the first holds everyone).", DefaultValueFactory = _ => 300 }, 1, 5_000);
        var direct = CommonOptions.Range(new Option<int>("--direct-rooms") { Description = "Direct-message rooms started through /direct: 70% pairs, the rest groups of 3 to 5.", DefaultValueFactory = _ => 100 }, 0, 5_000);
        var tabs = CommonOptions.Range(new Option<int>("--tabs") { Description = "Most tabs per person: each person has 1 to this many, each open in one of their rooms.", DefaultValueFactory = _ => 3 }, 1, 10);
        var active = CommonOptions.Range(new Option<double>("--active") { Description = "Share of the people who post (the rest only read).", DefaultValueFactory = _ => 0.3 }, 0, 1);
        var rate = CommonOptions.Range(new Option<double>("--rate") { Description = "Messages per minute per posting person, from their visible tab.", DefaultValueFactory = _ => 3 }, 0, 600);
        var bursts = CommonOptions.Range(new Option<double>("--bursts") { Description = "Bursts per minute: a room where people look suddenly busy for 3 to 8 s.", DefaultValueFactory = _ => 2 }, 0, 600);
        var burstRate = CommonOptions.Range(new Option<double>("--burst-rate") { Description = "Messages per second in a burst, on top of the room's own.", DefaultValueFactory = _ => 4 }, 0.1, 100);
        var churn = CommonOptions.Range(new Option<double>("--churn") { Description = "Tab changes per person per hour: a tab closes and another opens, mostly in the same room.", DefaultValueFactory = _ => 12 }, 0, 3_600);
        var mentions = CommonOptions.Range(new Option<double>("--mentions") { Description = "Share of messages that @mention a member of their room.", DefaultValueFactory = _ => 0.1 }, 0, 1);
        var duration = CommonOptions.Range(new Option<double>("--duration") { Description = "Seconds of measured traffic.", DefaultValueFactory = _ => 120 }, 1, 3_600);
        var warmup = CommonOptions.Range(new Option<double>("--warmup") { Description = "Seconds of the same traffic first, unmeasured (a fresh server's JIT is still tiering up).", DefaultValueFactory = _ => 30 }, 0, 600);
        var grace = CommonOptions.Range(new Option<double>("--grace") { Description = "Seconds to wait for deliveries still on their way at the end (and for a closing tab's last ones); later ones count as lost.", DefaultValueFactory = _ => 5 }, 0.5, 60);
        var seed = CommonOptions.Range(new Option<int>("--seed") { Description = "Seed of every random choice (rooms, tabs, timetable): the same seed gives the same day.", DefaultValueFactory = _ => 1 }, 0, int.MaxValue);
        var parallel = CommonOptions.Range(new Option<int>("--connect-parallel") { Description = "Socket handshakes in flight at once while the first tabs open.", DefaultValueFactory = _ => 32 }, 1, 1024);

        var command = new Command("officeday", "A realistic office day on one instance: long-tailed rooms, direct messages, 1-3 tabs each, human-rate traffic with bursts, typing, mentions, read marks and tab churn; latency of every delivery, loss, order, CPU and memory.");
        foreach (var o in new Option[] { people, rooms, direct, tabs, active, rate, bursts, burstRate, churn, mentions, duration, warmup, grace, seed, parallel })
            command.Options.Add(o);
        common.AddTo(command);
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryValue(r, people, out var p) && CommonOptions.TryValue(r, tabs, out var t) && (long)p * t > 15_000)
                r.AddError("--people x --tabs is at most 15,000 sockets");
            if (CommonOptions.TryValue(r, common.Instances, out var instances) && instances > 1)
                r.AddError("officeday runs on one instance: it goes without --instances");
        });
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "officeday");
            var smoke = c.Smoke;
            var s = new OfficeDaySettings(
                CommonOptions.Pick(parse, people, smoke, 24),
                CommonOptions.Pick(parse, rooms, smoke, 6),
                CommonOptions.Pick(parse, direct, smoke, 3),
                parse.GetValue(tabs),
                CommonOptions.Pick(parse, active, smoke, 1.0),
                CommonOptions.Pick(parse, rate, smoke, 20.0),
                CommonOptions.Pick(parse, bursts, smoke, 30.0),
                CommonOptions.Pick(parse, burstRate, smoke, 5.0),
                CommonOptions.Pick(parse, churn, smoke, 300.0),
                CommonOptions.Pick(parse, mentions, smoke, 0.15),
                CommonOptions.Pick(parse, duration, smoke, 4.0),
                CommonOptions.Pick(parse, warmup, smoke, 1.0),
                CommonOptions.Pick(parse, grace, smoke, 15.0), // only waited for when something is missing
                parse.GetValue(seed),
                parse.GetValue(parallel));
            var title = $"officeday: {s.People:N0} people, {s.Rooms} rooms + {s.DirectRooms} direct, {s.Duration:0.#} s measured";
            return await ScenarioHost.RunAsync(c, "officeday", title, (context, token) => RunAsync(context, s, token), ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext context, OfficeDaySettings s, CancellationToken ct)
    {
        var (targets, report) = (context.Targets, context.Report);
        if (targets.IsRawKestrelPeer)
            throw new InvalidOperationException("officeday needs ChatterWeb's pages and accounts");
        report.Data["settings"] = s;
        var plan = OfficeDayPlan.Build(s);
        var rssAtStart = targets.ServerRss();
        var clock = Stopwatch.StartNew();

        var runId = Population.NewRunId();
        var users = await Population.SignUpAsync(targets, s.People, runId, parallel: 4, ct);
        var signUpSeconds = clock.Elapsed.TotalSeconds;

        // Each open room is created by its first member; each direct room started by its first.
        clock.Restart();
        var slugs = new string[plan.Members.Count];
        var made = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct };
        using (Progress.Start("creating rooms", () => $"{Volatile.Read(ref made)}/{s.Rooms}"))
        {
            await Parallel.ForAsync(0, s.Rooms, options, async (r, token) =>
            {
                slugs[r] = await users[plan.Members[r][0]].CreateRoomAsync($"office {runId} room {r}", token);
                Interlocked.Increment(ref made);
            });
        }
        var roomsSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var directPeople = plan.Members.Skip(s.Rooms).SelectMany(m => m).Distinct().ToList();
        var ids = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        using (Progress.Start("starting direct messages", () => $"{ids.Count}/{directPeople.Count} user ids"))
        {
            await Parallel.ForEachAsync(directPeople, options, async (p, token) => ids[p] = await users[p].UserIdAsync(token));
            await Parallel.ForAsync(s.Rooms, plan.Members.Count, options, async (r, token) =>
                slugs[r] = await users[plan.Members[r][0]].StartDirectAsync([.. plan.Members[r].Skip(1).Select(p => ids[p])], token));
        }
        var directSeconds = clock.Elapsed.TotalSeconds;

        // Membership of an open room is a visit of its page (direct rooms have theirs from the start).
        clock.Restart();
        var visits = Enumerable.Range(0, s.Rooms).SelectMany(r => plan.Members[r].Skip(1).Select(p => (users[p], slugs[r]))).ToList();
        int pageVisits;
        using (Progress.Start("opening room pages", () => $"{visits.Count:N0} memberships"))
            pageVisits = await Population.OpenRoomPagesAsync(visits, parallel: 4, ct);
        var pagesSeconds = clock.Elapsed.TotalSeconds;

        var ledger = new OfficeLedger([.. plan.Messages.Select(m => m.Room)], [.. plan.Messages.Select(m => m.At >= s.Warmup)], plan.Tabs.Count, plan.Members.Count);
        var run = new OfficeDayRun(plan, s, targets, users, slugs, ledger);
        clock.Restart();
        var failures = await run.OpenInitialTabsAsync(() => BenchSocket.Received(run.Sockets).Frames, ct);
        var connectSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using (Progress.Start("settling", () => $"{BenchSocket.Received(run.Sockets).Frames:N0} setup frames (presence) so far"))
            await Population.WaitQuietAsync(run.Sockets, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120), ct);
        var setup = new OfficeDaySetup(signUpSeconds, roomsSeconds, directSeconds, pageVisits, pagesSeconds,
            plan.InitialTabs - failures.Count, failures.Count, connectSeconds, clock.Elapsed.TotalSeconds,
            BenchSocket.Received(run.Sockets).Frames, BenchSocket.Received(run.Sockets).Bytes, rssAtStart);
        if (failures.Count > 0)
        {
            report.Fail($"{failures.Count} of the first {plan.InitialTabs} tabs failed to open (first: {failures[0].Reason})");
            report.Data["openFailures"] = failures.Take(20).ToList();
        }

        var bytes0 = BenchSocket.Received(run.Sockets).Bytes;
        var window = await run.RunAsync(Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10, ct);
        var bytesRead = BenchSocket.Received(run.Sockets).Bytes - bytes0;
        var rssAtEnd = targets.ServerRss();
        var openSockets = run.Sockets.Count(x => x?.WebSocketState == System.Net.WebSockets.WebSocketState.Open);

        using (Progress.Start("closing", () => $"{openSockets} sockets"))
            await Population.CloseAllAsync(run.Sockets);
        foreach (var u in users)
            u.Dispose();

        OfficeDaySummary.Write(report, context.OutputDirectory, new OfficeDayOutcome(s, plan, setup, ledger, run, window, bytesRead, rssAtEnd, openSockets));
    }
}

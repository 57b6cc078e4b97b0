using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;

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
        bool FindKnee, double TargetP99, double StepFactor, int MaxSteps, int ConnectParallel, bool ViaWebhook = false);

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

        var viaWebhook = new Option<bool>("--via-webhook")
        {
            Description = "Send each message as an incoming webhook's POST (/hooks/{token}, one hook per room, made on the room's integrations page) instead of from a member socket: latency is from the POST's scheduled time to each socket's delivery, send->ack is the POST's 200. The server the bench starts gets hook limits that admit the rate.",
        };
        var command = new Command("fanout", "R rooms x M members, open-loop sends at X msg/s: deliveries/s, send->receive latency, loss, duplicates, order, server CPU per delivery.");
        foreach (var o in new Option[] { rooms, members, users, rate, duration, warmup, grace, findKnee, target, factor, maxSteps, parallel, peer, peerFragment, viaWebhook })
            command.Options.Add(o);
        common.AddTo(command);
        command.Validators.Add(r =>
        {
            if (CommonOptions.TryValue(r, rooms, out var roomCount) && CommonOptions.TryValue(r, members, out var memberCount) && (long)roomCount * memberCount > 15_000)
                r.AddError("--rooms x --members is at most 15,000 sockets");
            // Whether --peer was given, not its value: reading a value the option rejected would throw here.
            if (r.GetResult(peer) is not null && (r.GetValue(common.Url) is { Length: > 0 } || CommonOptions.TryValue(r, common.Instances, out var instances) && instances > 1))
                r.AddError("--peer starts its own peer: it goes with neither --url nor --instances");
            if (r.GetResult(viaWebhook) is not null && r.GetResult(peer) is not null)
                r.AddError("--via-webhook posts to ChatterWeb's incoming webhooks: it does not go with --peer");
            if (r.GetResult(peerFragment) is not null && r.GetResult(peer) is null)
                r.AddError("--peer-fragment-bytes pads the peer's fragments: it goes with --peer");
        });
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "fanout") with { RawKestrelPeer = parse.GetValue(peer) == "raw-kestrel" };
            if (parse.GetValue(peerFragment) is var padTo and > 0)
                c = c with { ServerSettings = new Dictionary<string, string>(c.ServerSettings) { ["Peer__FragmentBytes"] = padTo.ToString(CultureInfo.InvariantCulture) } };
            if (parse.GetValue(viaWebhook))
            {
                // Per hook (= per room): a burst and a refill well above what the run sends, so no post gets 429.
                c = c with
                {
                    ServerSettings = new Dictionary<string, string>(c.ServerSettings)
                    {
                        ["Chatter__Integrations__HookBurst"] = "100000",
                        ["Chatter__Integrations__HookPostsPerMinute"] = "1000000",
                    },
                };
            }
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
                parse.GetValue(parallel),
                parse.GetValue(viaWebhook));
            s = s with { Users = Math.Min(s.Users, s.Rooms * s.Members) };
            var title = $"fanout{(s.ViaWebhook ? " via incoming webhooks" : "")}: {s.Rooms} rooms x {s.Members} members" + (s.FindKnee ? $", knee for p99 <= {s.TargetP99} ms" : $", {s.Rate:0.#} msg/s for {s.Duration:0.#} s");
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
        if (s.ViaWebhook)
            report.Parameter("sent as", "incoming webhook POSTs (/hooks/{token}, one hook per room)");

        // --- setup: people, rooms, sockets (placed so that socket i is in room i / M)
        var runId = Population.NewRunId();
        var clock = Stopwatch.StartNew();
        var total = s.Rooms * s.Members;
        List<ChatClient> users;
        List<string> slugs;
        double signUpSeconds = 0, pagesSeconds = 0;
        Hooks? hooks = null;
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
            if (s.ViaWebhook)
                hooks = await Hooks.CreateAsync(users[0], slugs, ct);
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
            var warm = await FanoutStep.RunAsync(targets, sockets, live, pageUrl, s, s.Rate, s.Warmup, nextId, "warm-up", ct, hooks);
            nextId += (long)Math.Ceiling(s.Rate * s.Warmup);
            report.Data["warmup"] = FanoutSummary.Slim(warm);
            var dead = sockets.Count(x => x is not null && x.WebSocketState != System.Net.WebSockets.WebSocketState.Open);
            if (dead > 0)
                report.Fail($"{dead} sockets were closed by the server during the warm-up (slow consumer 1013? see stderr); the measured step runs without them");
        }
        var steps = new List<FanoutStepResult>();
        var rate = s.Rate;
        for (var step = 0; step < (s.FindKnee ? s.MaxSteps : 1); step++)
        {
            var label = s.FindKnee ? $"step {step + 1}: {rate:0.#} msg/s" : $"{rate:0.#} msg/s";
            var result = await FanoutStep.RunAsync(targets, sockets, live, pageUrl, s, rate, s.Duration, nextId, label, ct, hooks);
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
        hooks?.Dispose();

        FanoutSummary.Write(report, context.OutputDirectory, s, steps, targets.Pids.Count > 0);
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
}

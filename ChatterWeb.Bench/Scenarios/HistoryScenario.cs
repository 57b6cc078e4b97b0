using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>
/// <c>history</c>: seeds one room with many messages straight into the SQLite file, then times
/// "load older" (<c>GET /rooms/{slug}/messages?before={seq}</c> as htmx asks for it) at several depths,
/// beside the same page read by the bench itself with a keyset query and with an OFFSET query, to
/// show what keyset paging saves. Depth d = d messages newer than the page asked for.
/// </summary>
public static partial class HistoryScenario
{
    public const int PageSize = 50;

    public sealed record Settings(long Messages, long[] Depths, int Requests, double SqlBudgetSeconds, double Warmup);

    public sealed record DepthResult(
        long RequestedDepth, long Depth, long Before,
        LatencySummary Http, LatencySummary SqlKeyset, LatencySummary SqlOffset, long OffsetRuns);

    public static Command Build(CommonOptions common)
    {
        var messages = CommonOptions.Range(new Option<long>("--messages") { Description = "Messages to seed into the room.", DefaultValueFactory = _ => 1_000_000 }, 100, 20_000_000);
        var depths = new Option<long[]>("--depths")
        {
            Description = "Depths to time (messages newer than the page); the deepest possible full page is used when one is beyond the room.",
            DefaultValueFactory = _ => [0, 10_000, 100_000, 1_000_000],
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r => CommonOptions.NumberList(r, 0L, 20_000_000L),
        };
        var requests = CommonOptions.Range(new Option<int>("--requests") { Description = "Timed requests per depth (after the warm-up); a p99 needs many (of 300 it is the third-worst sample).", DefaultValueFactory = _ => 1000 }, 1, 100_000);
        var warmup = CommonOptions.Range(new Option<double>("--warmup") { Description = "Seconds of unmeasured load-older requests first, every depth in turn (at least 5 rounds): a fresh server's JIT is still tiering its code up for the first few thousand requests.", DefaultValueFactory = _ => 20 }, 0, 600);
        var sqlBudget = CommonOptions.Range(new Option<double>("--sql-budget") { Description = "Most seconds spent on the bench's own queries per depth and kind (OFFSET at depth 1M is slow).", DefaultValueFactory = _ => 10 }, 0.1, 600);

        var command = new Command("history", "Seed a room with 1M messages, time 'load older' at depths 0..1M beside keyset and OFFSET queries on the same file.");
        foreach (var o in new Option[] { messages, depths, requests, warmup, sqlBudget })
            command.Options.Add(o);
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "history");
            var s = new Settings(
                CommonOptions.Pick(parse, messages, c.Smoke, 20_000),
                CommonOptions.Pick(parse, depths, c.Smoke, [0, 1_000, 10_000, 1_000_000]),
                CommonOptions.Pick(parse, requests, c.Smoke, 30),
                CommonOptions.Pick(parse, sqlBudget, c.Smoke, 1.0),
                CommonOptions.Pick(parse, warmup, c.Smoke, 0.5));
            return await ScenarioHost.RunAsync(c, "history", $"history: load older in a room of {s.Messages:N0} messages", (context, token) => RunAsync(context, s, token), ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext context, Settings s, CancellationToken ct)
    {
        var (targets, report) = (context.Targets, context.Report);
        var dbPath = targets.DatabasePath ?? throw new InvalidOperationException("history writes into the server's SQLite file: run it without --url (the bench's own server, on SQLite: not --database postgresql) or give --db");
        report.Parameter("messages seeded", s.Messages).Parameter("timed requests per depth", s.Requests)
            .Parameter("SQL time budget per depth s", s.SqlBudgetSeconds).Parameter("warm-up s", s.Warmup).Parameter("instance", targets.Instances[0]);
        report.Data["settings"] = s;

        // A room with one message posted the normal way (to check the time encoding against), then the rest seeded.
        var runId = Population.NewRunId();
        var user = (await Population.SignUpAsync(targets, 1, runId, 1, ct))[0];
        var slug = (await Population.CreateRoomsAsync(user, 1, runId, ct))[0];
        await PageScenario.PostMessagesAsync(targets.Instances[0], slug, user, 1, ct);

        using var db = new SqliteHistory(dbPath);
        var (roomId, lastSeq) = db.Room(slug);
        db.CheckTimeEncoding(roomId);
        var authorId = db.UserId(user.Email);
        var total = lastSeq + Math.Max(0, s.Messages - lastSeq);
        var seeded = 0L;
        var seedClock = Stopwatch.StartNew();
        using (Progress.Start("seeding", () => $"{Volatile.Read(ref seeded):N0}/{total - lastSeq:N0} rows"))
            await Task.Run(() => db.Seed(roomId, authorId, lastSeq + 1, total, n => Volatile.Write(ref seeded, n)), ct);
        var seedSeconds = seedClock.Elapsed.TotalSeconds;
        var fileMiB = (new FileInfo(dbPath).Length + (File.Exists(dbPath + "-wal") ? new FileInfo(dbPath + "-wal").Length : 0)) / 1048576.0;
        Console.Error.WriteLine($"seeded {total - lastSeq:N0} messages in {seedSeconds:0.0}s ({fileMiB:0} MiB)");

        // Depth d: the page whose newest message has d newer ones after it, i.e. before = total - d + 1.
        var points = s.Depths.Distinct().Order().Select(d =>
        {
            var before = Math.Max(PageSize + 1, total - d + 1);
            return (Requested: d, Depth: total - before + 1, Before: before);
        }).ToList();

        // "Load older" as htmx asks for it, one request at a time; depths interleaved so machine noise hits all alike.
        using var http = ChatClient.NewHttp(targets.Instances[0], user.Cookies, maxConnections: 1);
        http.DefaultRequestHeaders.Add("HX-Request", "true");
        foreach (var p in points)
            await CheckPageAsync(http, slug, p.Before, ct);
        var befores = points.Select(p => p.Before).ToList();
        var warmed = 0;
        var warm = Stopwatch.StartNew();
        using (Progress.Start("warm-up", () => $"{Volatile.Read(ref warmed):N0} requests"))
            await RoundsAsync(http, slug, befores, round => round < 5 || warm.Elapsed.TotalSeconds < s.Warmup, null, () => Interlocked.Increment(ref warmed), ct);
        var warmSeconds = warm.Elapsed.TotalSeconds;
        report.Data["warmupRequests"] = warmed;
        report.Data["warmupSeconds"] = warmSeconds;
        var recorders = points.Select(_ => new LatencyRecorder()).ToArray();
        var done = 0;
        using (Progress.Start("load older", () => $"{Volatile.Read(ref done):N0}/{s.Requests * points.Count:N0} requests"))
            await RoundsAsync(http, slug, befores, round => round < s.Requests, recorders, () => Interlocked.Increment(ref done), ct);

        // The same pages read by the bench on the same file: keyset (what the app does) and OFFSET.
        var results = new List<DepthResult>();
        using var keyset = db.Keyset(roomId);
        using var offset = db.Offset(roomId);
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            recorders[i].Tick(0);
            var k = TimeSql(keyset, p.Before, s.Requests, s.SqlBudgetSeconds, p.Before - 1);
            var o = TimeSql(offset, p.Depth, s.Requests, s.SqlBudgetSeconds, p.Before - 1);
            results.Add(new DepthResult(p.Requested, p.Depth, p.Before, recorders[i].Summary(), k.Summary, o.Summary, o.Runs));
            Console.Error.WriteLine($"  depth {p.Depth:N0}: http p50 {results[^1].Http.P50:0.00} ms, keyset p50 {k.Summary.P50:0.000} ms, OFFSET p50 {o.Summary.P50:0.000} ms ({o.Runs} runs)");
        }
        user.Dispose();

        var table = new Table("Load older, by depth",
            "depth", "before seq", "HTTP p50 ms", "HTTP p99 ms", "HTTP max ms", "SQL keyset p50 ms", "SQL keyset p99 ms", "SQL OFFSET p50 ms", "SQL OFFSET p99 ms", "OFFSET runs");
        foreach (var r in results)
            table.Add(r.Depth, r.Before, r.Http.P50, r.Http.P99, r.Http.Max, r.SqlKeyset.P50, r.SqlKeyset.P99, r.SqlOffset.P50, r.SqlOffset.P99, r.OffsetRuns);
        report.Tables.Add(table);
        report.Tables.Add(new Table("Seeding", "what", "value")
            .Add("rows inserted", total - lastSeq)
            .Add("seconds", seedSeconds)
            .Add("rows/s", (total - lastSeq) / seedSeconds)
            .Add("database file + WAL MiB", fileMiB));
        report.Data["depths"] = results;
        report.Data["seeding"] = new { rows = total - lastSeq, seconds = seedSeconds, fileMiB };

        var shallow = results[0];
        var deepest = results[^1];
        if (shallow.Http.P50 > 0)
        {
            report.Notes.Add($"Deepest / shallowest HTTP latency (depth {deepest.Depth:N0} vs {shallow.Depth:N0}): p50 x{deepest.Http.P50 / shallow.Http.P50:0.00}, p99 x{deepest.Http.P99 / Math.Max(0.001, shallow.Http.P99):0.00}.");
            report.Data["ratio"] = new { p50 = deepest.Http.P50 / shallow.Http.P50, p99 = deepest.Http.P99 / Math.Max(0.001, shallow.Http.P99) };
        }
        report.Notes.Add("HTTP: GET /rooms/{slug}/messages?before={seq} with HX-Request: true and Accept-Encoding: br (the fragment htmx swaps in), one request at a time, depths interleaved; latency to the last byte. " +
                         $"Timed after {warmSeconds:0.#} s ({warmed:N0} requests) of the same requests, unmeasured: a fresh server's JIT tiers its code up over its first few thousand requests (--warmup 0 leaves only 5 rounds, a nearly cold server).");
        report.Notes.Add("SQL: the bench's own prepared query on the same SQLite file (51 rows joined to the author, every column read): keyset `Seq < before ORDER BY Seq DESC LIMIT 51` against `ORDER BY Seq DESC LIMIT 51 OFFSET depth`. " +
                         $"Each kind runs up to {s.Requests} times per depth or {s.SqlBudgetSeconds:0.#} s, whichever comes first.");
        report.Notes.Add("Seeded rows are written with one prepared INSERT in one transaction (Microsoft.Data.Sqlite), CreatedAt encoded like EF's DateTimeOffsetToBinaryConverter (checked against a row the server wrote), and the room's LastSeq moved to the last seq. The server is not restarted: it caches no history.");

        report.Plots.Add(Plotter.LogBars(context.OutputDirectory, "history-depth.png", $"load older by depth ({total:N0} messages)", "ms",
            results.Select(r => Short(r.Depth)).ToArray(),
            [
                ("HTTP load older p50", results.Select(r => r.Http.P50).ToArray()),
                ("HTTP load older p99", results.Select(r => r.Http.P99).ToArray()),
                ("SQL keyset p50", results.Select(r => r.SqlKeyset.P50).ToArray()),
                ("SQL OFFSET p50", results.Select(r => r.SqlOffset.P50).ToArray()),
            ]));
    }

    private static string Short(long n) => n >= 1_000_000 ? $"{n / 1e6:0.##}M" : n >= 1_000 ? $"{n / 1e3:0.##}k" : n.ToString();

    /// <summary>
    /// Rounds of "load older", one request per depth each, depths interleaved so machine noise hits
    /// them alike, while <paramref name="another"/> says so for the round about to start. Each
    /// request's latency goes to its depth's recorder, or nowhere (the warm-up).
    /// </summary>
    private static async Task RoundsAsync(HttpClient http, string slug, IReadOnlyList<long> befores, Func<int, bool> another, LatencyRecorder[]? recorders, Action made, CancellationToken ct)
    {
        for (var round = 0; another(round); round++)
        {
            for (var i = 0; i < befores.Count; i++)
            {
                var elapsed = await TimeRequestAsync(http, slug, befores[i], ct);
                recorders?[i].Record(elapsed);
                made();
            }
        }
    }

    private static async Task<TimeSpan> TimeRequestAsync(HttpClient http, string slug, long before, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/rooms/{slug}/messages?before={before}");
        request.Headers.AcceptEncoding.ParseAdd("br");
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"load older before {before} answered {(int)response.StatusCode}");
        return elapsed;
    }

    /// <summary>The fragment holds exactly the 50 messages below <paramref name="before"/>, oldest first.</summary>
    private static async Task CheckPageAsync(HttpClient http, string slug, long before, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/rooms/{slug}/messages?before={before}", ct);
        var html = await response.Content.ReadAsStringAsync(ct);
        var seqs = SeqRegex().Matches(html).Select(m => long.Parse(m.Groups[1].Value)).ToList();
        var expected = Enumerable.Range(0, PageSize).Select(i => before - PageSize + i).ToList();
        if (response.StatusCode != HttpStatusCode.OK || !seqs.SequenceEqual(expected))
            throw new InvalidOperationException($"load older before {before}: {(int)response.StatusCode}, seqs {string.Join(",", seqs.Take(3))}..{seqs.LastOrDefault()} ({seqs.Count}), expected {expected[0]}..{expected[^1]}");
    }

    [GeneratedRegex("<article [^>]*data-seq=\"(\\d+)\"")]
    private static partial Regex SeqRegex();

    private static (LatencySummary Summary, long Runs) TimeSql(SqliteHistory.PageQuery query, long position, int maxRuns, double budgetSeconds, long expectedFirstSeq)
    {
        var recorder = new LatencyRecorder();
        var (rows, first, _) = query.Run(position); // warm the statement and the page cache
        if (rows != PageSize + 1 && rows != PageSize || first != expectedFirstSeq)
            throw new InvalidOperationException($"SQL page at {position} gave {rows} rows starting at {first}, expected {expectedFirstSeq}");
        var budget = Stopwatch.StartNew();
        var runs = 0L;
        while (runs < maxRuns && budget.Elapsed.TotalSeconds < budgetSeconds)
        {
            recorder.Record(query.Run(position).Elapsed);
            runs++;
        }
        recorder.Tick(0);
        return (recorder.Summary(), runs);
    }
}

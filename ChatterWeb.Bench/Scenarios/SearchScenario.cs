using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Measure;
using ChatterWeb.Bench.Results;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>
/// <c>search</c>: search at depth. A history of a million messages is written into the server's
/// SQLite file (<see cref="SearchCorpus"/>), then <c>GET /search?q=</c> is timed, one request at a
/// time, for a word in 0.1% of the messages, a word in a handful, and the frequent word's second page
/// (<c>&amp;before=</c>). Before timing, every page of the frequent word is followed once: the hits
/// must be exactly the open rooms' ones, none from the members-only room the searcher is not in.
/// </summary>
public static partial class SearchScenario
{
    public const double GoalP99 = 50;

    public sealed record Settings(long Messages, int Rooms, int Requests, double Warmup);

    public sealed record QueryResult(string Query, string Path, int Hits, LatencySummary Latency);

    public static Command Build(CommonOptions common)
    {
        var messages = CommonOptions.Range(new Option<long>("--messages") { Description = "Messages written into the database, over all rooms.", DefaultValueFactory = _ => 1_000_000 }, 1_000, 20_000_000);
        var rooms = CommonOptions.Range(new Option<int>("--rooms") { Description = "Open rooms the messages are spread over (one members-only room besides, which the searcher may not read).", DefaultValueFactory = _ => 10 }, 1, 100);
        var requests = CommonOptions.Range(new Option<int>("--requests") { Description = "Timed requests per query, after the warm-up (of 500 the p99 is the fifth-worst).", DefaultValueFactory = _ => 500 }, 1, 100_000);
        var warmup = CommonOptions.Range(new Option<double>("--warmup") { Description = "Seconds of the same requests first, unmeasured (at least 5 rounds).", DefaultValueFactory = _ => 15 }, 0, 600);

        var command = new Command("search", "Seed 1M messages, time /search for a word in 0.1% of them, a rare word, and the next page of the frequent one.");
        foreach (var o in new Option[] { messages, rooms, requests, warmup })
            command.Options.Add(o);
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "search");
            var s = new Settings(
                CommonOptions.Pick(parse, messages, c.Smoke, 60_000),
                parse.GetValue(rooms),
                CommonOptions.Pick(parse, requests, c.Smoke, 30),
                CommonOptions.Pick(parse, warmup, c.Smoke, 0.5));
            return await ScenarioHost.RunAsync(c, "search", $"search: /search in {s.Messages:N0} messages", (context, token) => RunAsync(context, s, token), ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext context, Settings s, CancellationToken ct)
    {
        var (targets, report) = (context.Targets, context.Report);
        report.Parameter("messages", s.Messages).Parameter("open rooms", s.Rooms).Parameter("timed requests per query", s.Requests)
            .Parameter("warm-up s", s.Warmup).Parameter("instance", targets.Instances[0]);
        report.Data["settings"] = s;
        var corpus = await SearchCorpus.BuildAsync(targets, s.Messages, s.Rooms, ct);

        using var http = ChatClient.NewHttp(targets.Instances[0], corpus.Searcher.Cookies, maxConnections: 1);
        var frequent = $"/search?q={ChatText.FrequentWord}";
        var rare = $"/search?q={ChatText.RareWord}";

        // Every page of the frequent word once: the open rooms' hits, all of them, newest first, none from the members-only room.
        var pages = new List<Page>();
        for (var path = frequent; path is not null; path = pages[^1].Next is { } next ? $"{frequent}&before={next}" : null)
        {
            pages.Add(await GetAsync(http, path, corpus, ct));
            if (pages.Count > corpus.FrequentHits / 20 + 2)
                throw new InvalidOperationException($"more pages of '{ChatText.FrequentWord}' than its {corpus.FrequentHits} hits fill");
        }
        var allHits = pages.Sum(p => p.Hits);
        if (allHits != corpus.FrequentHits)
            report.Fail($"'{ChatText.FrequentWord}' found {allHits} messages over {pages.Count} pages, expected {corpus.FrequentHits}");
        var rarePage = await GetAsync(http, rare, corpus, ct);
        if (rarePage.Hits != corpus.RareHits || rarePage.Next is not null)
            report.Fail($"'{ChatText.RareWord}' found {rarePage.Hits} messages (more: {rarePage.Next is not null}), expected {corpus.RareHits}");
        if (pages.Count < 2)
            throw new InvalidOperationException($"'{ChatText.FrequentWord}' has one page of hits only: seed more messages (--messages)");
        var second = $"{frequent}&before={pages[0].Next}";
        (string Name, string Path, int Hits)[] queries =
        [
            ($"'{ChatText.FrequentWord}' (0.1% of messages), first page", frequent, pages[0].Hits),
            ($"'{ChatText.RareWord}' ({corpus.RareHits} messages)", rare, rarePage.Hits),
            ($"'{ChatText.FrequentWord}', next page (&before=)", second, pages[1].Hits),
        ];

        var warmed = 0;
        var warm = Stopwatch.StartNew();
        using (Progress.Start("warm-up", () => $"{Volatile.Read(ref warmed):N0} requests"))
        {
            for (var round = 0; round < 5 || warm.Elapsed.TotalSeconds < s.Warmup; round++)
            {
                foreach (var q in queries)
                {
                    await TimeAsync(http, q.Path, ct);
                    warmed++;
                }
            }
        }
        var warmSeconds = warm.Elapsed.TotalSeconds;
        var recorders = queries.Select(_ => new LatencyRecorder()).ToArray();
        var done = 0;
        using (Progress.Start("searching", () => $"{Volatile.Read(ref done):N0}/{s.Requests * queries.Length:N0} requests"))
        {
            for (var round = 0; round < s.Requests; round++)
            {
                for (var i = 0; i < queries.Length; i++)
                {
                    recorders[i].Record(await TimeAsync(http, queries[i].Path, ct));
                    done++;
                }
            }
        }
        corpus.Searcher.Dispose();
        foreach (var a in corpus.Authors)
            a.Dispose();

        var results = queries.Select((q, i) =>
        {
            recorders[i].Tick(0);
            return new QueryResult(q.Name, q.Path, q.Hits, recorders[i].Summary());
        }).ToList();
        var table = new Table("Search, one request at a time", "query", "hits on the page", "p50 ms", "p90 ms", "p99 ms", "max ms", $"p99 <= {GoalP99} ms");
        foreach (var r in results)
            table.Add(r.Query, r.Hits, r.Latency.P50, r.Latency.P90, r.Latency.P99, r.Latency.Max, r.Latency.P99 <= GoalP99);
        report.Tables.Add(table);
        report.Tables.Add(new Table("The history", "what", "value")
            .Add("messages written (SQLite, one transaction per room, indexed by the search triggers)", corpus.Messages)
            .Add("seconds", corpus.SeedSeconds)
            .Add("messages/s", corpus.Messages / corpus.SeedSeconds)
            .Add("database file + WAL MiB", corpus.FileMiB)
            .Add($"messages with '{ChatText.FrequentWord}' the searcher may read / pages of them", $"{corpus.FrequentHits:N0} / {pages.Count}")
            .Add($"messages with '{ChatText.RareWord}' the searcher may read", corpus.RareHits));
        report.Data["queries"] = results;
        report.Data["history"] = new { corpus.Messages, corpus.SeedSeconds, corpus.FileMiB, corpus.FrequentHits, corpus.RareHits, frequentPages = pages.Count, warmupRequests = warmed, warmupSeconds = warmSeconds };
        report.Plots.Add(Plotter.Percentiles(context.OutputDirectory, "search-latency.png", $"/search latency ({s.Messages:N0} messages)",
            results.Select((r, i) => (r.Query, LatencyRecorder.PercentileCurve(recorders[i].Total)))));
        report.Notes.Add("GET /search?q=… signed in, Accept-Encoding: br, one request at a time, the queries interleaved; latency to the last byte of the page. " +
                         $"Timed after {warmSeconds:0.#} s ({warmed:N0} requests) of the same requests, unmeasured.");
        report.Notes.Add($"The history: {s.Rooms} open rooms and one members-only room, the same number of messages each, written straight into the SQLite file while the server runs; " +
                         "the migration's triggers fill the FTS5 index row by row. The members-only room holds the same words; its hits must never show.");
        report.Notes.Add($"Goal: p99 <= {GoalP99} ms for each query (reported, not enforced).");
    }

    private sealed record Page(int Hits, long? Next);

    private static async Task<Page> GetAsync(HttpClient http, string path, SearchCorpus corpus, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        var html = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        var rooms = HitRoom().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        if (rooms.Contains(corpus.ClosedRoomName))
            throw new InvalidOperationException($"{path} shows a message of the members-only room the searcher is not in");
        return new Page(rooms.Count, NextBefore().Match(html) is { Success: true } next ? long.Parse(next.Groups[1].Value) : null);
    }

    private static async Task<TimeSpan> TimeAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("br"); // as a browser asks; the checks read the page uncompressed
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        return elapsed;
    }

    [GeneratedRegex("<span class=\"hit-room\">#([^<]*)</span>")]
    private static partial Regex HitRoom();

    [GeneratedRegex("<p class=\"more-hits\"><a href=\"/search\\?q=[^\"]*&amp;before=(\\d+)\"")]
    private static partial Regex NextBefore();
}

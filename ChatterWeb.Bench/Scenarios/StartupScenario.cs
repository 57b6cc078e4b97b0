using System.CommandLine;
using ChatterWeb.Bench.Results;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>
/// <c>startup</c>: cold start, from starting the server process to <c>/readyz</c> answering 200, on a
/// fresh database (the server creates and migrates it) and on one holding a million messages (written
/// the way <c>search</c> writes them, then copied aside). Starts alternate between the two; each is a new
/// process, stopped (SIGTERM) before the next.
/// </summary>
public static class StartupScenario
{
    public const double GoalSeconds = 2;

    public sealed record Settings(long Messages, int Rooms, int Repetitions);

    public sealed record Start(int Repetition, string Database, double Seconds);

    public static Command Build(CommonOptions common)
    {
        var messages = CommonOptions.Range(new Option<long>("--messages") { Description = "Messages in the full database.", DefaultValueFactory = _ => 1_000_000 }, 1_000, 20_000_000);
        var rooms = CommonOptions.Range(new Option<int>("--rooms") { Description = "Open rooms the messages are spread over.", DefaultValueFactory = _ => 10 }, 1, 100);
        var repetitions = CommonOptions.Range(new Option<int>("--repetitions") { Description = "Starts of each database, alternating.", DefaultValueFactory = _ => 7 }, 1, 100);

        var command = new Command("startup", "Cold start: server process start to /readyz 200, on a fresh database and on one with 1M messages, several times each.");
        foreach (var o in new Option[] { messages, rooms, repetitions })
            command.Options.Add(o);
        common.AddTo(command);
        command.Validators.Add(r =>
        {
            if (r.GetValue(common.Url) is { Length: > 0 } || CommonOptions.TryValue(r, common.Instances, out var instances) && instances > 1)
                r.AddError("startup starts and stops its own servers: it goes with neither --url nor --instances");
        });
        command.SetAction(async (parse, ct) =>
        {
            var c = common.Bind(parse, "startup");
            var s = new Settings(
                CommonOptions.Pick(parse, messages, c.Smoke, 20_000),
                parse.GetValue(rooms),
                CommonOptions.Pick(parse, repetitions, c.Smoke, 2));
            return await ScenarioHost.RunAsync(c, "startup", $"startup: process start to /readyz, fresh and with {s.Messages:N0} messages", (context, token) => RunAsync(context, s, token), ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext context, Settings s, CancellationToken ct)
    {
        var (targets, report) = (context.Targets, context.Report);
        report.Parameter("messages in the full database", s.Messages).Parameter("starts of each", s.Repetitions).Parameter("configuration", context.Common.ServerConfiguration);
        report.Data["settings"] = s;

        // The full database: written through the bench's own server, then copied aside with SQLite's backup.
        var corpus = await SearchCorpus.BuildAsync(targets, s.Messages, s.Rooms, ct);
        corpus.Searcher.Dispose();
        foreach (var a in corpus.Authors)
            a.Dispose();
        var fullDir = OwnServers.NewSharedDataDirectory();
        try
        {
            long stored;
            using (var source = new SqliteHistory(targets.DatabasePath!))
            {
                source.CopyTo(Path.Combine(fullDir, "chatter.db"));
                stored = source.MessageCount();
            }
            var fileMiB = new FileInfo(Path.Combine(fullDir, "chatter.db")).Length / 1048576.0;

            var starts = new List<Start>();
            using (Progress.Start("starting", () => $"{starts.Count}/{2 * s.Repetitions} starts, last {(starts.Count > 0 ? starts[^1].Seconds : 0):0.00} s"))
            {
                for (var i = 1; i <= s.Repetitions; i++)
                {
                    starts.Add(new Start(i, "fresh", await TimeStartAsync(context.Common, null, ct)));
                    starts.Add(new Start(i, "full", await TimeStartAsync(context.Common, fullDir, ct)));
                }
            }

            var fresh = starts.Where(x => x.Database == "fresh").Select(x => x.Seconds).ToList();
            var full = starts.Where(x => x.Database == "full").Select(x => x.Seconds).ToList();
            var each = new Table("Each start (s, process start to /readyz 200)", "repetition", "fresh database", $"{stored:N0} messages");
            for (var i = 0; i < s.Repetitions; i++)
                each.Add(i + 1, fresh[i], full[i]);
            var summary = new Table("Startup", "database", "median s", "min s", "max s", $"median <= {GoalSeconds} s", $"starts <= {GoalSeconds} s");
            summary.Add("fresh (created and migrated at start)", Median(fresh), fresh.Min(), fresh.Max(), Median(fresh) <= GoalSeconds, $"{fresh.Count(x => x <= GoalSeconds)} of {fresh.Count}");
            summary.Add($"{stored:N0} messages ({fileMiB:0} MiB)", Median(full), full.Min(), full.Max(), Median(full) <= GoalSeconds, $"{full.Count(x => x <= GoalSeconds)} of {full.Count}");
            report.Tables.Add(summary);
            report.Tables.Add(each);
            report.Data["starts"] = starts;
            report.Data["median"] = new { fresh = Median(fresh), full = Median(full) };
            report.Data["fullDatabase"] = new { messages = stored, fileMiB };
            report.Plots.Add(Plotter.Lines(context.OutputDirectory, "startup.png", "process start to /readyz 200, each start", "repetition", "seconds", null,
            [
                new Plotter.Series("fresh database", [.. fresh.Select((_, i) => i + 1.0)], [.. fresh]),
                new Plotter.Series($"{stored:N0} messages", [.. full.Select((_, i) => i + 1.0)], [.. full]),
                new Plotter.Series($"goal {GoalSeconds} s", [1, Math.Max(2, s.Repetitions)], [GoalSeconds, GoalSeconds]),
            ]));
            report.Notes.Add("From just before the bench starts `dotnet ChatterWeb.dll` (Production, the bench's settings) to the first 200 from /readyz (the database, and Redis when configured), asked every 10 ms. " +
                             "Each start is a new process, stopped with SIGTERM before the next; fresh and full starts alternate. The full database is the same file each time (in the OS file cache after the first start).");
            report.Notes.Add($"The full database: {s.Rooms} open rooms and one members-only room, written as the search scenario writes them (the FTS5 index filled by the migration's triggers), copied with SQLite's online backup.");
            report.Notes.Add($"Goal: <= {GoalSeconds} s (reported, not enforced).");
        }
        finally
        {
            try { Directory.Delete(fullDir, recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task<double> TimeStartAsync(CommonSettings common, string? dataDir, CancellationToken ct)
    {
        await using var server = await OwnServers.StartChatterWebAsync(common, common.ServerSettings, ct, dataDir,
            o => o with { ReadyPath = "/readyz", PollInterval = TimeSpan.FromMilliseconds(10) });
        return Math.Round(server.StartupTime.TotalSeconds, 3);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

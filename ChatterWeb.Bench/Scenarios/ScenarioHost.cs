using ChatterWeb.Bench.Results;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>What a scenario works with: the servers, the report it fills in, and the shared settings.</summary>
public sealed record ScenarioContext(TargetSet Targets, Report Report, CommonSettings Common)
{
    public string OutputDirectory => Common.OutputDirectory;
}

/// <summary>
/// What every scenario does around its own work: raise the open-file limit, start (or find) the
/// servers, stop them after whatever happens, write the JSON and Markdown results, print the tables,
/// and turn the checks into an exit code (non-zero only in <c>--smoke</c>, or when the run itself broke).
/// </summary>
public static class ScenarioHost
{
    public static async Task<int> RunAsync(CommonSettings common, string scenario, string title, Func<ScenarioContext, CancellationToken, Task> run, CancellationToken ct)
    {
        var limit = FileLimit.RaiseToHard();
        var report = new Report
        {
            Scenario = scenario,
            Title = title,
            Command = common.CommandLine,
            Machine = MachineInfo.Read(),
            Target = common.Urls.Count > 0 ? string.Join(", ", common.Urls)
                : common.RawKestrelPeer ? "the raw Kestrel peer (ChatterWeb.Bench.Peer) started by the bench, not ChatterWeb"
                : "a ChatterWeb started by the bench (Release build, fresh SQLite file)",
        };
        if (limit is { } l)
            report.Data["openFileLimit"] = new { soft = l.Soft, hard = l.Hard };
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await using (var targets = await TargetSet.OpenAsync(common, ct))
            {
                try
                {
                    await run(new ScenarioContext(targets, report, common), ct);
                }
                catch (Exception) when (targets.OwnServer is { } own)
                {
                    Console.Error.WriteLine($"server log tail (pid {own.Pid}):\n{own.Tail(15)}");
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{scenario} failed: {e}");
            return 2;
        }

        report.Data["elapsedSeconds"] = Math.Round(started.Elapsed.TotalSeconds, 1);
        report.Data["loadAverageAtEnd"] = MachineInfo.LoadAverage();
        var (json, md) = ResultWriter.Write(report, common.OutputDirectory);
        Console.WriteLine();
        foreach (var t in report.Tables)
            Console.WriteLine(ResultWriter.Console(t));
        foreach (var n in report.Notes)
            Console.WriteLine($"- {n}");
        Console.WriteLine($"results: {json}, {md}{(report.Plots.Count > 0 ? $", {report.Plots.Count} plot(s)" : "")} ({started.Elapsed.TotalSeconds:0.0}s)");
        if (report.Passed)
        {
            Console.WriteLine("checks: passed");
            return 0;
        }
        Console.WriteLine("checks: FAILED");
        foreach (var f in report.Failures)
            Console.WriteLine($"  - {f}");
        return common.Smoke ? 1 : 0;
    }
}

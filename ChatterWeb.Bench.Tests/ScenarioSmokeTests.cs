using System.Text.Json;

namespace ChatterWeb.Bench.Tests;

/// <summary>
/// The smoke runs of <c>officeday</c>, <c>search</c> and <c>startup</c>, each against a ChatterWeb the
/// built bench starts itself: they pass their checks (nothing lost, doubled, reordered, misrouted or
/// refused; every search page right) and write what they measured.
/// </summary>
[Collection(BuiltBench.ServerRuns)]
public class ScenarioSmokeTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "chatterweb-scenario-test-" + Guid.NewGuid().ToString("N")[..8]);

    private async Task<JsonElement> SmokeAsync(string scenario)
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromMinutes(5), "(the smoke run takes seconds)",
            scenario, "--smoke", "--server-config", RepositoryRoot.Configuration, "--out", _out);

        Assert.True(exitCode == 0, output);
        Assert.Contains("checks: passed", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, scenario + ".json")));
        Assert.True(File.Exists(Path.Combine(_out, scenario + ".md")));
        return json.RootElement.GetProperty("data").Clone();
    }

    [Fact]
    public async Task The_office_day_smoke_delivers_every_message_to_every_tab_of_its_room_while_tabs_come_and_go()
    {
        var data = await SmokeAsync("officeday");

        var counts = data.GetProperty("counts");
        Assert.True(counts.GetProperty("delivered").GetInt64() > 100);
        Assert.Equal(counts.GetProperty("expected").GetInt64(), counts.GetProperty("delivered").GetInt64());
        Assert.Equal(0, counts.GetProperty("misrouted").GetInt64());
        Assert.True(counts.GetProperty("tabsClosed").GetInt64() > 0, "no tab closed");
        Assert.True(counts.GetProperty("tabsOpened").GetInt64() > 0, "no tab opened while running");
        Assert.True(counts.GetProperty("typing").GetInt64() > 0, "no typing signal arrived");
        Assert.True(counts.GetProperty("readsSent").GetInt64() > 0, "no read mark was sent");
        Assert.True(counts.GetProperty("badges").GetInt64() > 0, "no unread badge arrived");
        Assert.True(counts.GetProperty("notify").GetInt64() > 0, "no notification signal arrived (mentions, direct messages)");
        Assert.True(data.GetProperty("latency").GetProperty("count").GetInt64() > 0);
        Assert.True(File.Exists(Path.Combine(_out, "officeday-latency.png")));
    }

    [Fact]
    public async Task The_search_smoke_finds_exactly_the_readable_messages_and_times_three_queries()
    {
        var data = await SmokeAsync("search");

        var queries = data.GetProperty("queries").EnumerateArray().ToList();
        Assert.Equal(3, queries.Count);
        Assert.Equal([20, 5, 20], queries.Select(q => q.GetProperty("hits").GetInt32()));
        Assert.All(queries, q => Assert.Equal(30, q.GetProperty("latency").GetProperty("count").GetInt64()));
        Assert.Equal(55, data.GetProperty("history").GetProperty("frequentHits").GetInt64());
    }

    [Fact]
    public async Task The_startup_smoke_times_fresh_and_full_starts_alternately()
    {
        var data = await SmokeAsync("startup");

        var starts = data.GetProperty("starts").EnumerateArray().ToList();
        Assert.Equal(["fresh", "full", "fresh", "full"], starts.Select(x => x.GetProperty("database").GetString()));
        Assert.All(starts, x => Assert.InRange(x.GetProperty("seconds").GetDouble(), 0.05, 90));
        Assert.Equal(20_000 / 11 * 11 + 1, data.GetProperty("fullDatabase").GetProperty("messages").GetInt64());
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }
}

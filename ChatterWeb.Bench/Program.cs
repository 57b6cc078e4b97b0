using System.CommandLine;
using ChatterWeb.Bench;
using ChatterWeb.Bench.Scenarios;

// The load generator reads ~100,000 small WebSocket messages a second: its socket completions run
// on the epoll thread (no thread-pool hop per receive). The runtime reads that switch only from the
// environment at start-up, so the bench starts itself once more with it set (the server it starts
// does not inherit it: see OwnServers).
if (InlineCompletions.Relaunch(args) is int exitCode)
    return exitCode;

var common = new CommonOptions();
var root = new RootCommand("ChatterWeb.Bench: load and latency benchmarks for ChatterWeb, against loopback servers only.")
{
    FanoutScenario.Build(common),
    ConnectionsScenario.Build(common),
    PageScenario.Build(common),
    HistoryScenario.Build(common),
    OfficeDayScenario.Build(common),
    SearchScenario.Build(common),
    StartupScenario.Build(common),
};
return await root.Parse(args).InvokeAsync();

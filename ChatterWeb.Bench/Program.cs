using System.CommandLine;
using ChatterWeb.Bench;
using ChatterWeb.Bench.Scenarios;

var common = new CommonOptions();
var root = new RootCommand("ChatterWeb.Bench: load and latency benchmarks for ChatterWeb, against loopback servers only.")
{
    FanoutScenario.Build(common),
    ConnectionsScenario.Build(common),
    PageScenario.Build(common),
    HistoryScenario.Build(common),
};
return await root.Parse(args).InvokeAsync();

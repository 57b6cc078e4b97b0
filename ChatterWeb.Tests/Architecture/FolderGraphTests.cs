namespace ChatterWeb.Tests.Architecture;

/// <summary>
/// The app's folders depend on each other one way only: a feature may use what is below it, never
/// the other way round (the delivery core knows no feature; features plug into it). Read from the
/// compiled assembly (<see cref="FolderGraph"/>), so nothing a file really uses escapes it.
/// </summary>
public class FolderGraphTests
{
    private static readonly FolderGraph Graph = FolderGraph.Of(typeof(ChatterWeb.ChatterWebExtensions).Assembly);

    [Fact]
    public void The_folder_graph_has_no_cycle()
    {
        var cycles = Graph.Cycles();
        Assert.True(cycles.Count == 0, "folders that reach each other:\n" + string.Join("\n", cycles.Select(c =>
            string.Join(", ", c) + ":\n  " + string.Join("\n  ", c.SelectMany(from => Graph.Edges[from].Where(e => c.Contains(e.Key)).Select(e => $"{from} -> {e.Key}: {e.Value}"))))));
    }

    [Theory]
    [InlineData("Delivery", new[] { "Infrastructure", "Metrics" })]
    [InlineData("Data", new string[0])]
    [InlineData("Metrics", new string[0])]
    public void The_bottom_folders_use_only_what_is_below_them(string folder, string[] allowed)
    {
        Assert.Contains(folder, Graph.Folders);
        var used = Graph.Edges[folder];
        Assert.True(used.Keys.All(allowed.Contains), $"{folder} uses " + string.Join("; ", used.Where(u => !allowed.Contains(u.Key)).Select(u => $"{u.Key} ({u.Value})")));
    }

    [Fact]
    public void The_reading_sees_what_the_code_uses()
    {
        // Known edges, each through a different route: a constructor parameter, a method body, a compiled view.
        Assert.Contains("Delivery", Graph.Edges["Messages"].Keys);      // MessageBroadcast(IRoomBus)
        Assert.Contains("Rooms", Graph.Edges["Notifications"].Keys);    // ReadFrameHandler reads RoomInfo from the session
        Assert.Contains("Notifications", Graph.Edges["RoomPages"].Keys); // Room.cshtml renders the sidebar's badges
        Assert.Contains("Notifications", Graph.Edges["Shared"].Keys);   // _RoomsNav.cshtml injects ReadState
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        var graph = new FolderGraph();
        graph.Edges["A"] = new() { ["B"] = "a uses b" };
        graph.Edges["B"] = new() { ["C"] = "b uses c" };
        graph.Edges["C"] = new() { ["A"] = "c uses a" };
        graph.Edges["D"] = new() { ["A"] = "d uses a" };
        Assert.Equal([["A", "B", "C"]], graph.Cycles());
    }
}

namespace ChatterWeb.Bench.Target;

/// <summary>
/// The ChatterWeb instances under load: either the <c>--url</c>s given (loopback only), or one the
/// bench starts itself and stops after. <see cref="Pids"/> are the server processes whose CPU time
/// and memory can be read (the bench's own server, or <c>--server-pid</c>s).
/// </summary>
public sealed class TargetSet : IAsyncDisposable
{
    private readonly ServerProcess? _own;

    private TargetSet(IReadOnlyList<Uri> instances, IReadOnlyList<int> pids, ServerProcess? own, string? databasePath)
    {
        Instances = instances;
        Pids = pids;
        _own = own;
        DatabasePath = databasePath;
    }

    public IReadOnlyList<Uri> Instances { get; }
    public IReadOnlyList<int> Pids { get; }
    public ServerProcess? OwnServer => _own;

    /// <summary>The SQLite file behind the instances, when the bench knows it (its own server, or <c>--db</c>).</summary>
    public string? DatabasePath { get; }

    public string Describe() => _own is not null
        ? $"own ChatterWeb at {_own.BaseUri} (pid {_own.Pid}, data {_own.DataDirectory})"
        : $"{string.Join(", ", Instances)}" + (Pids.Count > 0 ? $" (pids {string.Join(", ", Pids)})" : " (no server pid: no CPU or memory figures)");

    public Uri InstanceFor(int index) => Instances[index % Instances.Count];

    public static async Task<TargetSet> OpenAsync(CommonSettings common, CancellationToken ct)
    {
        if (common.Urls.Count > 0)
        {
            var pids = common.ServerPids.Where(ProcStats.Available).ToList();
            foreach (var missing in common.ServerPids.Except(pids))
                Console.Error.WriteLine($"warning: --server-pid {missing} is not a running process here; ignored");
            return new TargetSet(common.Urls, pids, null, common.DatabasePath);
        }
        Console.Error.WriteLine("starting ChatterWeb...");
        var server = await ServerProcess.StartAsync(common.RepoRoot, common.ServerConfiguration, common.ServerSettings, TimeSpan.FromSeconds(90), ct);
        Console.Error.WriteLine($"ChatterWeb is up at {server.BaseUri} (pid {server.Pid})");
        return new TargetSet([server.BaseUri], [server.Pid], server, server.DatabasePath);
    }

    /// <summary>Summed CPU time of the measured server processes (null when there are none).</summary>
    public TimeSpan? ServerCpu()
    {
        if (Pids.Count == 0)
            return null;
        var total = TimeSpan.Zero;
        foreach (var pid in Pids)
            total += ProcStats.CpuTime(pid) ?? TimeSpan.Zero;
        return total;
    }

    /// <summary>Summed RSS of the measured server processes in bytes (null when there are none).</summary>
    public long? ServerRss()
    {
        if (Pids.Count == 0)
            return null;
        return Pids.Sum(pid => ProcStats.Sample(pid)?.RssBytes ?? 0);
    }

    public async ValueTask DisposeAsync()
    {
        if (_own is not null)
        {
            Console.Error.WriteLine("stopping ChatterWeb...");
            await _own.DisposeAsync();
        }
    }
}

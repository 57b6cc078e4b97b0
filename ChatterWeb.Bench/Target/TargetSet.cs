using ChatterWeb.Testing;

namespace ChatterWeb.Bench.Target;

/// <summary>
/// The ChatterWeb instances under load: either the <c>--url</c>s given (loopback only), or one the
/// bench starts itself and stops after. <see cref="Pids"/> are the server processes whose CPU time
/// and memory can be read (the bench's own server, or <c>--server-pid</c>s).
/// </summary>
public sealed class TargetSet : IAsyncDisposable
{
    private readonly IReadOnlyList<AppProcess> _own;
    private readonly RedisServer? _redis;
    private readonly PostgresServer? _postgres;

    private TargetSet(IReadOnlyList<Uri> instances, IReadOnlyList<int> pids, IReadOnlyList<AppProcess> own, string? databasePath, RedisServer? redis = null, bool peerOnly = false, PostgresServer? postgres = null)
    {
        _postgres = postgres;
        IsRawKestrelPeer = peerOnly;
        Instances = instances;
        Pids = pids;
        _own = own;
        _redis = redis;
        DatabasePath = databasePath;
    }

    public IReadOnlyList<Uri> Instances { get; }

    /// <summary>What the instances store in, as far as the bench knows: its own PostgreSQL, its own SQLite file, or the given servers'.</summary>
    public string Database => _postgres is not null ? "PostgreSQL (the bench's own cluster)" : _own.Count > 0 && !IsRawKestrelPeer ? "SQLite (the bench's own file)" : IsRawKestrelPeer ? "none" : "the given servers'";
    public IReadOnlyList<int> Pids { get; }

    /// <summary>The target is the raw Kestrel peer, not ChatterWeb: no accounts, pages or metrics.</summary>
    public bool IsRawKestrelPeer { get; }
    public AppProcess? OwnServer => _own.Count > 0 ? _own[0] : null;

    /// <summary>The SQLite file behind the instances, when the bench knows it (its own server on SQLite, or <c>--db</c>).</summary>
    public string? DatabasePath { get; }

    public string Describe() => IsRawKestrelPeer ? $"the raw Kestrel peer at {_own[0].BaseUri} (pid {_own[0].Pid})" : _own.Count > 0
        ? string.Join("; ", _own.Select(o => $"own ChatterWeb at {o.BaseUri} (pid {o.Pid}, data {o.DataDirectory})")) + (_redis is null ? "" : $"; redis-server on port {_redis.Port}")
            + (_postgres is null ? "" : $"; PostgreSQL (pid {_postgres.Pid}, port {_postgres.Port}, fsync on)")
        : $"{string.Join(", ", Instances)}" + (Pids.Count > 0 ? $" (pids {string.Join(", ", Pids)})" : " (no server pid: no CPU or memory figures)");

    public Uri InstanceFor(int index) => Instances[index % Instances.Count];

    public static async Task<TargetSet> OpenAsync(CommonSettings common, CancellationToken ct)
    {
        if (common.Urls.Count > 0)
        {
            var pids = common.ServerPids.Where(ProcStats.Available).ToList();
            foreach (var missing in common.ServerPids.Except(pids))
                Console.Error.WriteLine($"warning: --server-pid {missing} is not a running process here; ignored");
            return new TargetSet(common.Urls, pids, [], common.DatabasePath);
        }
        if (common.RawKestrelPeer)
        {
            Console.Error.WriteLine("starting the raw Kestrel peer...");
            var peer = await OwnServers.StartPeerAsync(common, common.ServerSettings, ct);
            Console.Error.WriteLine($"the raw Kestrel peer is up at {peer.BaseUri} (pid {peer.Pid})");
            return new TargetSet([peer.BaseUri], [peer.Pid], [peer], null, peerOnly: true);
        }
        if (common.Instances > 1)
            return await OpenClusterAsync(common, ct);
        var (postgres, settings) = await DatabaseAsync(common, common.ServerSettings, ct);
        try
        {
            Console.Error.WriteLine("starting ChatterWeb...");
            var server = await OwnServers.StartChatterWebAsync(common, settings, ct);
            Console.Error.WriteLine($"ChatterWeb is up at {server.BaseUri} (pid {server.Pid})");
            return new TargetSet([server.BaseUri], [server.Pid], [server], postgres is null ? server.DatabasePath : null, postgres: postgres);
        }
        catch
        {
            if (postgres is not null)
                await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// With <c>--database postgresql</c>: a private cluster (durable, like a real server: fsync and
    /// synchronous commit on), one database, and the settings that point ChatterWeb at it.
    /// </summary>
    private static async Task<(PostgresServer? Server, Dictionary<string, string> Settings)> DatabaseAsync(CommonSettings common, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(settings);
        if (common.Database != CommonOptions.PostgreSql)
            return (null, result);
        Console.Error.WriteLine("starting PostgreSQL...");
        PostgresServer server;
        try
        {
            server = await PostgresServer.StartAsync(durable: true, ct);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"--database postgresql needs PostgreSQL installed: {e.Message}", e);
        }
        server.StopWithThisProcess();
        var database = await server.CreateDatabaseAsync("bench");
        result["Chatter__Database__Provider"] = "PostgreSQL";
        result["ConnectionStrings__Chatter"] = server.ConnectionString(database);
        Console.Error.WriteLine($"PostgreSQL is up on port {server.Port} (pid {server.Pid}), database {database}");
        return (server, result);
    }

    /// <summary>A redis-server and N instances on one SQLite file, as compose runs them (minus the balancer: the bench spreads sockets round-robin).</summary>
    private static async Task<TargetSet> OpenClusterAsync(CommonSettings common, CancellationToken ct)
    {
        var redis = new RedisServer();
        try
        {
            await redis.StartAsync(ct);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"--instances > 1 needs a redis-server: {e.Message}", e);
        }
        var dataDir = OwnServers.NewSharedDataDirectory();
        var servers = new List<AppProcess>();
        PostgresServer? postgres = null;
        try
        {
            (postgres, var settings) = await DatabaseAsync(common, common.ServerSettings, ct);
            settings["ConnectionStrings__Redis"] = redis.ConnectionString;
            for (var i = 0; i < common.Instances; i++) // one after another: the first migrates and seeds
            {
                Console.Error.WriteLine($"starting ChatterWeb instance {i + 1}/{common.Instances} (Redis {redis.ConnectionString})...");
                servers.Add(await OwnServers.StartChatterWebAsync(common, settings, ct, sharedDataDir: dataDir));
            }
        }
        catch
        {
            foreach (var s in servers)
                await s.DisposeAsync();
            await redis.DisposeAsync();
            if (postgres is not null)
                await postgres.DisposeAsync();
            throw;
        }
        Console.Error.WriteLine($"ChatterWeb is up at {string.Join(", ", servers.Select(s => s.BaseUri))}");
        return new TargetSet([.. servers.Select(s => s.BaseUri)], [.. servers.Select(s => s.Pid)], servers, postgres is null ? servers[0].DatabasePath : null, redis, postgres: postgres);
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
        if (_own.Count > 0)
        {
            Console.Error.WriteLine(IsRawKestrelPeer ? "stopping the raw Kestrel peer..." : "stopping ChatterWeb...");
            foreach (var server in _own)
                await server.DisposeAsync();
            if (_own.Count > 1)
            {
                try { Directory.Delete(_own[0].DataDirectory, recursive: true); }
                catch (IOException) { }
            }
        }
        if (_redis is not null)
            await _redis.DisposeAsync();
        if (_postgres is not null)
        {
            Console.Error.WriteLine("stopping PostgreSQL...");
            await _postgres.DisposeAsync();
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ChatterWeb.Bench.Target;

/// <summary>
/// A ChatterWeb the bench starts itself: the built app (<c>ChatterWeb/bin/&lt;config&gt;/net10.0/ChatterWeb.dll</c>,
/// built first if missing) on a free loopback port with a fresh data directory, run directly by
/// <c>dotnet</c> so <see cref="Pid"/> is the server itself (its CPU time and memory are what we read).
/// Stopped with SIGTERM (graceful: sockets get 1012), then killed if it lingers.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;
    private readonly StreamWriter _log;
    private readonly bool _ownsData;

    private ServerProcess(Process process, Uri baseUri, string dataDir, string logPath, bool ownsData, StreamWriter log)
    {
        _process = process;
        BaseUri = baseUri;
        _dataDir = dataDir;
        LogPath = logPath;
        _ownsData = ownsData;
        _log = log;
    }

    public Uri BaseUri { get; }
    public int Pid => _process.Id;
    public string DataDirectory => _dataDir;
    public string DatabasePath => Path.Combine(_dataDir, "chatter.db");
    public string LogPath { get; }

    /// <summary>
    /// Starts the server and returns once <c>/healthz</c> answers. With <paramref name="sharedDataDir"/>
    /// it uses that folder's database (several instances on one database) and leaves the folder behind.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string repoRoot, string configuration, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, CancellationToken ct,
        string? sharedDataDir = null)
    {
        var projectDir = Path.Combine(repoRoot, "ChatterWeb");
        var dll = await BuiltAsync(repoRoot, "ChatterWeb", configuration, ct);

        var dataDir = sharedDataDir ?? NewDataDirectory();
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var logPath = Path.Combine(dataDir, sharedDataDir is null ? "server.log" : $"server-{port}.log");

        // The project folder is the content root: appsettings.json and wwwroot/ are read from it.
        var psi = StartInfo(dll, projectDir, port);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ConnectionStrings__Chatter"] = $"Data Source={Path.Combine(dataDir, "chatter.db")}";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // The bench is a load generator, not a person: lift the per-person and per-IP guards that
        // would otherwise (rightly) throttle it. Each can be overridden with --server-env.
        psi.Environment["Chatter__Security__SignInAttemptsPerMinute"] = "1000000";
        psi.Environment["Chatter__Realtime__MessageBurst"] = "1000000";
        psi.Environment["Chatter__Realtime__MessagesPerSecond"] = "1000000";
        psi.Environment["Chatter__Realtime__MaxSocketsPerUser"] = "100000";
        psi.Environment["Chatter__Realtime__DrainDelay"] = "00:00:00";
        psi.Environment["Chatter__Metrics__Enabled"] = "true"; // the server's own figures, on loopback
        foreach (var (key, value) in settings)
            psi.Environment[key] = value;
        return await LaunchAsync(psi, port, dataDir, logPath, ownsData: sharedDataDir is null, timeout, ct);
    }

    /// <summary>
    /// Starts the raw Kestrel broadcast peer (<c>ChatterWeb.Bench.Peer</c>) instead of ChatterWeb: no
    /// database, its defaults plus <paramref name="settings"/>. Its folder holds only its log.
    /// </summary>
    public static async Task<ServerProcess> StartPeerAsync(string repoRoot, string configuration, IReadOnlyDictionary<string, string> settings, TimeSpan timeout, CancellationToken ct)
    {
        var dll = await BuiltAsync(repoRoot, "ChatterWeb.Bench.Peer", configuration, ct);
        var dataDir = NewDataDirectory();
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var psi = StartInfo(dll, Path.GetDirectoryName(dll)!, port);
        foreach (var (key, value) in settings)
            psi.Environment[key] = value;
        return await LaunchAsync(psi, port, dataDir, Path.Combine(dataDir, "peer.log"), ownsData: true, timeout, ct);
    }

    /// <summary>The project's built assembly, built first if missing.</summary>
    private static async Task<string> BuiltAsync(string repoRoot, string project, string configuration, CancellationToken ct)
    {
        var dll = Path.Combine(repoRoot, project, "bin", configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll))
            await BuildAsync(repoRoot, project, configuration, ct);
        return dll;
    }

    /// <summary>
    /// <c>dotnet &lt;dll&gt;</c> on a loopback port, output captured. The bench's own runtime switches are
    /// not the server's: it runs with its defaults unless --server-env says otherwise.
    /// </summary>
    private static ProcessStartInfo StartInfo(string dll, string workingDirectory, int port)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment.Remove(InlineCompletions.Variable);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        return psi;
    }

    private static async Task<ServerProcess> LaunchAsync(ProcessStartInfo psi, int port, string dataDir, string logPath, bool ownsData, TimeSpan timeout, CancellationToken ct)
    {
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"), dataDir, logPath, ownsData, log);
        try
        {
            await server.WaitHealthyAsync(timeout, ct);
        }
        catch
        {
            await server.DisposeAsync(keepData: true);
            throw;
        }
        return server;
    }

    private static async Task BuildAsync(string repoRoot, string project, string configuration, CancellationToken ct)
    {
        Console.Error.WriteLine($"building {project} ({configuration})...");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = repoRoot, UseShellExecute = false };
        foreach (var a in new[] { "build", $"{project}/{project}.csproj", "-c", configuration, "-nologo", "-v", "q", "-clp:ErrorsOnly" })
            psi.ArgumentList.Add(a);
        using var build = Process.Start(psi)!;
        await build.WaitForExitAsync(ct);
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build of {project} failed ({build.ExitCode})");
    }

    private async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} before it was healthy:\n{Tail()}");
            try
            {
                using var response = await http.GetAsync("/healthz", ct);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"the server was not healthy within {timeout.TotalSeconds:0}s:\n{Tail()}");
    }

    /// <summary>The last lines the server printed (for error messages).</summary>
    public string Tail(int lines = 30)
    {
        try
        {
            lock (_log)
            {
                using var fs = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(fs);
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
        }
        catch (IOException)
        {
            return "";
        }
    }

    public ProcSample? Sample() => ProcStats.Sample(Pid);

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "chatterweb-bench", Guid.NewGuid().ToString("N")[..12]);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    private const int SigTerm = 15;

    public ValueTask DisposeAsync() => DisposeAsync(keepData: false);

    public async ValueTask DisposeAsync(bool keepData)
    {
        if (!_process.HasExited)
        {
            if (OperatingSystem.IsLinux())
                Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
        if (!keepData && _ownsData)
        {
            try { Directory.Delete(_dataDir, recursive: true); }
            catch (IOException) { }
        }
    }
}

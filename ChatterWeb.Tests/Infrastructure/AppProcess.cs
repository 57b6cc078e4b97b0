using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// ChatterWeb as a real separate process (the built ChatterWeb.dll), for what an in-process host
/// cannot show: signals, restarts, several instances on one database.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private AppProcess(Process process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) return string.Join("\n", _output); } }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts the app on a free loopback port and waits until /healthz answers.</summary>
    public static async Task<AppProcess> StartAsync(string databasePath, IDictionary<string, string>? settings = null, int? port = null)
    {
        var root = RepoFiles.RootDirectory;
        var dll = RepoFiles.BuiltAssembly("ChatterWeb");

        var baseUri = new Uri($"http://127.0.0.1:{port ?? FreePort()}");
        var psi = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.Combine(root, "ChatterWeb"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_URLS"] = baseUri.ToString().TrimEnd('/');
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["ConnectionStrings__Chatter"] = $"Data Source={databasePath}";
        psi.Environment["Chatter__Attachments__StoragePath"] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, "attachments"); // beside the database, shared like it
        psi.Environment["Chatter__Security__SignInAttemptsPerMinute"] = "10000";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            psi.Environment[key] = value;

        var process = Process.Start(psi)!;
        var app = new AppProcess(process, baseUri);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"ChatterWeb exited with {process.ExitCode} during start:\n{app.Output}");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                    return app;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"ChatterWeb did not answer /healthz within 60 s:\n{app.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Sends a signal the way a container runtime or systemd does (SIGTERM by default).</summary>
    public void Signal(string signal = "TERM")
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()])!;
        kill.WaitForExit();
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

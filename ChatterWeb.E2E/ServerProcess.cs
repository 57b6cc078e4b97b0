using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatterWeb.E2E;

/// <summary>
/// ChatterWeb as a real separate process (the built ChatterWeb.dll) on a port the caller chooses, so a
/// test can kill it (SIGTERM or SIGKILL) and start it again at the same URL on the same SQLite file
/// while browsers stay open. Modelled on ChatterWeb.Tests' AppProcess.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>http://127.0.0.1:{port}, no trailing slash.</summary>
    public string BaseUrl { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) return string.Join("\n", _output); } }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts the app on 127.0.0.1:<paramref name="port"/> and waits until /healthz answers.</summary>
    public static async Task<ServerProcess> StartAsync(int port, string databasePath, IDictionary<string, string>? settings = null)
    {
        var root = RepositoryRoot.Path;
        // The test assembly's own configuration (bin/Debug or bin/Release) is the app's too.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(root, "ChatterWeb", "bin", configuration, "net10.0", "ChatterWeb.dll");
        if (!File.Exists(dll))
            throw new InvalidOperationException($"{dll} is missing: build the solution first (./test.sh does)");

        var baseUrl = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.Combine(root, "ChatterWeb"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["ASPNETCORE_URLS"] = baseUrl;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        psi.Environment["ConnectionStrings__Chatter"] = $"Data Source={databasePath}";
        psi.Environment["Chatter__Attachments__StoragePath"] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(databasePath))!, "attachments"); // beside the database, shared like it
        psi.Environment["Chatter__Security__SignInAttemptsPerMinute"] = "10000"; // every browser signs up from 127.0.0.1
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            psi.Environment[key] = value;

        var process = Process.Start(psi)!;
        var app = new ServerProcess(process, baseUrl);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app._output) app._output.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(2) };
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

    /// <summary>Sends a signal the way a container runtime or systemd does: TERM to stop, KILL for a crash.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>Signals the process and waits until it is gone (and the port is free).</summary>
    public async Task StopAsync(string signal, TimeSpan timeout)
    {
        Signal(signal);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"ChatterWeb did not exit within {timeout.TotalSeconds} s of SIG{signal}:\n{Output}");
        }
    }

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

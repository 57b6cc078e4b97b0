using System.Diagnostics;

namespace ChatterWeb.Testing;

/// <summary>
/// ChatterWeb (or another web project of the repository) as a real separate process, for what an
/// in-process host cannot show: signals, restarts, several instances on one database, a server
/// measured on its own. Its built assembly is run by <c>dotnet</c> directly, so <see cref="Pid"/> is the
/// server itself; it listens on a loopback port and keeps its data in a folder of its own unless
/// the caller shares one (<see cref="AppProcessOptions"/>). Started once <c>/healthz</c> answers; its output
/// is kept for failure messages; stopped by its PID.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessOutput _output;
    private readonly bool _ownsDataDirectory;
    private bool _disposed;

    private AppProcess(Process process, ProcessOutput output, AppProcessOptions options, int port, string dataDirectory, bool ownsDataDirectory)
    {
        _process = process;
        _output = output;
        Options = options;
        Port = port;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    public AppProcessOptions Options { get; }
    public int Port { get; }
    public int Pid => _process.Id;

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri BaseUri => new($"{BaseUrl}/");

    /// <summary>http://127.0.0.1:{port}, no trailing slash.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string DataDirectory { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "chatter.db");
    public bool HasExited => _process.HasExited;

    /// <summary>From just before the process was started to the first successful answer of <see cref="AppProcessOptions.ReadyPath"/>.</summary>
    public TimeSpan StartupTime { get; private set; }
    public int ExitCode => _process.ExitCode;

    /// <summary>What it printed so far (its last <see cref="ProcessOutput.Capacity"/> lines).</summary>
    public string Output => _output.Text;

    /// <summary>The last lines it printed.</summary>
    public string Tail(int lines = 30) => _output.Tail(lines);

    /// <summary>Starts the process and returns once <c>/healthz</c> (or <see cref="AppProcessOptions.ReadyPath"/>) answers; a process that exits or stays silent instead fails with its output.</summary>
    public static async Task<AppProcess> StartAsync(AppProcessOptions? options = null, CancellationToken ct = default)
    {
        options ??= new AppProcessOptions();
        var root = options.Root ?? RepositoryRoot.Path;
        var dll = RepositoryRoot.BuiltAssembly(options.Project, options.Configuration, root);
        var port = options.Port ?? LoopbackPort.Free();
        var dataDirectory = options.DataDirectory ?? Directory.CreateTempSubdirectory($"{options.Project.ToLowerInvariant()}-").FullName;
        Directory.CreateDirectory(dataDirectory);

        // The project folder is the content root: ChatterWeb reads appsettings.json and wwwroot/ from it.
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, options.Project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        if (options.Project == AppProcessOptions.ChatterWeb)
        {
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
            psi.Environment["ConnectionStrings__Chatter"] = $"Data Source={Path.Combine(dataDirectory, "chatter.db")}";
            psi.Environment["Chatter__Attachments__StoragePath"] = Path.Combine(dataDirectory, "attachments"); // beside the database, shared like it
            psi.Environment["Chatter__Security__SignInAttemptsPerMinute"] = "10000"; // every test user signs up from 127.0.0.1
            psi.Environment["Logging__LogLevel__Default"] = "Warning";
            psi.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        }
        foreach (var (key, value) in options.Settings)
        {
            if (value is null)
                psi.Environment.Remove(key);
            else
                psi.Environment[key] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var output = new ProcessOutput();
        output.Attach(process);
        var app = new AppProcess(process, output, options, port, dataDirectory, ownsDataDirectory: options.DataDirectory is null);
        try
        {
            await app.WaitHealthyAsync(ct);
            app.StartupTime = Stopwatch.GetElapsedTime(started);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private async Task WaitHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new InvalidOperationException($"{Options.Project} exited with {_process.ExitCode} during start:\n{Tail()}");
            try
            {
                using var response = await http.GetAsync(Options.ReadyPath, ct);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
            if (clock.Elapsed > Options.StartTimeout)
                throw new TimeoutException($"{Options.Project} did not answer {Options.ReadyPath} within {Options.StartTimeout.TotalSeconds:0} s:\n{Tail()}");
            await Task.Delay(Options.PollInterval, ct);
        }
    }

    /// <summary>Sends a signal to the process, as a container runtime or systemd does: TERM to stop, KILL for a crash, STOP and CONT to freeze and thaw it.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Pid.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>Waits until the process is gone (and its port free); a process still running after <paramref name="timeout"/> fails with its output.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Options.Project} (pid {Pid}) did not exit within {timeout.TotalSeconds} s:\n{Tail()}");
        }
    }

    /// <summary>Signals the process and waits until it is gone.</summary>
    public async Task StopAsync(string signal, TimeSpan timeout)
    {
        Signal(signal);
        await WaitForExitAsync(timeout);
    }

    /// <summary>
    /// Stops the process if it still runs (SIGTERM with <see cref="AppProcessOptions.StopGrace"/> to exit,
    /// else killed at once) and deletes its private data folder. Safe to call again, e.g. after a test killed it this way.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (!_process.HasExited && Options.StopGrace > TimeSpan.Zero)
        {
            Signal("TERM");
            using var grace = new CancellationTokenSource(Options.StopGrace);
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { }
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_ownsDataDirectory)
        {
            try { Directory.Delete(DataDirectory, recursive: true); }
            catch (IOException) { } // a temp folder left behind is harmless
        }
    }
}

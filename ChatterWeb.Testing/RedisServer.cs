using System.Diagnostics;
using System.Net.Sockets;

namespace ChatterWeb.Testing;

/// <summary>
/// A real, throw-away redis-server on a loopback port (no persistence), which can be stopped (killed,
/// like a crash: every client connection drops) and started again on the same port.
/// ./test.sh installs redis-server.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private Process? _process;
    private ProcessOutput _output = new();

    /// <summary>A server on <paramref name="port"/> (default: a free one), not started yet.</summary>
    public RedisServer(int? port = null) => Port = port ?? LoopbackPort.Free();

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The running server's process id, or null while it is stopped.</summary>
    public int? Pid => _process?.Id;

    /// <summary>What the current (or last) server printed.</summary>
    public string Output => _output.Text;

    /// <summary>The redis-server binary on PATH, /usr/bin or /usr/local/bin.</summary>
    public static string Executable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("redis-server is not installed: a real one is needed (apt-get install redis-server; ./test.sh does this).");
    }

    /// <summary>Starts the server and returns once it answers PING.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_process is not null)
            throw new InvalidOperationException($"redis-server is already running on port {Port}");
        var psi = new ProcessStartInfo(Executable(), ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _output = new ProcessOutput();
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start redis-server");
        _output.Attach(_process);
        try
        {
            await WaitForPongAsync(_process, ct);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    private async Task WaitForPongAsync(Process process, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}:\n{Output}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", Port, ct);
                var stream = tcp.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray(), ct);
                var buffer = new byte[16];
                var n = await stream.ReadAsync(buffer, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(1), ct);
                if (n > 0 && buffer[0] == (byte)'+')
                    return;
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException) { }
            if (clock.Elapsed > StartTimeout)
                throw new TimeoutException($"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds:0} s:\n{Output}");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>Kills the server (like a crash: every client connection drops); <see cref="StartAsync"/> starts it again on the same port.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
            return;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

using System.Diagnostics;
using System.Net.Sockets;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>
/// A real, throw-away redis-server on a free loopback port (no persistence), which a test can stop
/// and start again on the same port. ./test.sh installs redis-server in CI.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    public RedisServer() => Port = AppProcess.FreePort();

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static string Executable()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException("redis-server is not installed: the scale-out tests need a real one (apt-get install redis-server; ./test.sh does this in CI).");
    }

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo(Executable(), ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} on port {Port}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", Port);
                var stream = tcp.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
                if (n > 0 && buffer[0] == (byte)'+')
                    return;
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"redis-server did not answer PING on {Port} within 10 s");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server (like a crash: every client connection drops).</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

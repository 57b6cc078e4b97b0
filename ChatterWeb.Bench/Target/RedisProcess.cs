using System.Diagnostics;
using System.Net.Sockets;

namespace ChatterWeb.Bench.Target;

/// <summary>A throwaway <c>redis-server</c> on a free loopback port (no persistence) for multi-instance runs.</summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisProcess> StartAsync(CancellationToken ct)
    {
        var port = ServerProcess.FreePort();
        var psi = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("could not start redis-server");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("--instances > 1 needs redis-server on PATH (apt-get install redis-server; ./test.sh installs it)", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new RedisProcess(process, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port, ct);
                return redis;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct);
            }
        }
        await redis.DisposeAsync();
        throw new TimeoutException("redis-server did not listen within 10 s");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

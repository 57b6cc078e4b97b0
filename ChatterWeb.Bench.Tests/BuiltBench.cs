using System.Diagnostics;

namespace ChatterWeb.Bench.Tests;

/// <summary>The built ChatterWeb.Bench (same configuration as the tests), run as a process.</summary>
public static class BuiltBench
{
    /// <summary>
    /// The test collection of runs that start servers and measure the machine: one at a time, so one
    /// run's servers do not fill the cores another is measuring on.
    /// </summary>
    public const string ServerRuns = "bench runs that start servers";

    /// <summary>
    /// Runs the bench with <paramref name="args"/> and returns its exit code and everything it printed
    /// (stderr, then stdout). A bench still running after <paramref name="timeout"/> is killed with
    /// its children and fails the test with <paramref name="whenTooSlow"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, string whenTooSlow, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", [RepositoryRoot.BuiltAssembly("ChatterWeb.Bench"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1"; // set: the bench does not start a copy of itself
        using var bench = Process.Start(psi)!;
        var stdout = bench.StandardOutput.ReadToEndAsync();
        var stderr = bench.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await bench.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            bench.Kill(entireProcessTree: true); // with the server it started, if it got that far
            Assert.Fail($"the bench was still running after {timeout.TotalSeconds:0} s: {string.Join(' ', args)} {whenTooSlow}");
        }
        return (bench.ExitCode, await stderr + await stdout);
    }
}

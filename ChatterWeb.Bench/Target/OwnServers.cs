using System.Diagnostics;
using ChatterWeb.Testing;

namespace ChatterWeb.Bench.Target;

/// <summary>
/// A server the bench starts itself, as an <see cref="AppProcess"/>: the built project of the chosen
/// configuration (built first if missing), on a free loopback port with a fresh data folder, stopped
/// with SIGTERM (graceful: sockets get 1012) and killed if it lingers. The bench's own runtime
/// switches are not the server's: it runs with its defaults unless --server-env says otherwise.
/// </summary>
public static class OwnServers
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    /// <summary>
    /// ChatterWeb in Production with <paramref name="settings"/>. With <paramref name="sharedDataDir"/> it
    /// uses that folder's database (several instances on one database) and leaves the folder to the caller.
    /// <paramref name="adjust"/> changes how it is started (e.g. started once <c>/readyz</c> answers).
    /// </summary>
    public static async Task<AppProcess> StartChatterWebAsync(CommonSettings common, IReadOnlyDictionary<string, string> settings, CancellationToken ct, string? sharedDataDir = null,
        Func<AppProcessOptions, AppProcessOptions>? adjust = null)
    {
        await EnsureBuiltAsync(common, AppProcessOptions.ChatterWeb, ct);
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // The bench is a load generator, not a person: lift the per-person and per-IP guards that
            // would otherwise (rightly) throttle it. Each can be overridden with --server-env.
            ["Chatter__Security__SignInAttemptsPerMinute"] = "1000000",
            ["Chatter__Realtime__MessageBurst"] = "1000000",
            ["Chatter__Realtime__MessagesPerSecond"] = "1000000",
            ["Chatter__Realtime__MaxSocketsPerUser"] = "100000",
            ["Chatter__Realtime__DrainDelay"] = "00:00:00",
            ["Chatter__Metrics__Enabled"] = "true", // the server's own figures, on loopback
        };
        return await StartAsync(common, AppProcessOptions.ChatterWeb, environment, settings, sharedDataDir, ct, adjust);
    }

    /// <summary>The raw Kestrel broadcast peer (<c>ChatterWeb.Bench.Peer</c>) instead of ChatterWeb: no database, its defaults plus <paramref name="settings"/>.</summary>
    public static async Task<AppProcess> StartPeerAsync(CommonSettings common, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        const string peer = "ChatterWeb.Bench.Peer";
        await EnsureBuiltAsync(common, peer, ct);
        return await StartAsync(common, peer, [], settings, null, ct);
    }

    /// <summary>A fresh folder for instances that share one database; the caller deletes it.</summary>
    public static string NewSharedDataDirectory() => Directory.CreateTempSubdirectory("chatterweb-bench-").FullName;

    private static Task<AppProcess> StartAsync(CommonSettings common, string project, Dictionary<string, string?> environment, IReadOnlyDictionary<string, string> settings, string? sharedDataDir, CancellationToken ct,
        Func<AppProcessOptions, AppProcessOptions>? adjust = null)
    {
        environment[InlineCompletions.Variable] = null; // the bench's own switch (see Program.cs)
        foreach (var (key, value) in settings)
            environment[key] = value;
        var options = new AppProcessOptions
        {
            Project = project,
            Root = common.RepoRoot,
            Configuration = common.ServerConfiguration,
            DataDirectory = sharedDataDir,
            Settings = environment,
            StartTimeout = StartTimeout,
            StopGrace = StopGrace,
        };
        return AppProcess.StartAsync(adjust?.Invoke(options) ?? options, ct);
    }

    private static async Task EnsureBuiltAsync(CommonSettings common, string project, CancellationToken ct)
    {
        if (File.Exists(RepositoryRoot.AssemblyPath(project, common.ServerConfiguration, common.RepoRoot)))
            return;
        Console.Error.WriteLine($"building {project} ({common.ServerConfiguration})...");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = common.RepoRoot, UseShellExecute = false };
        foreach (var a in new[] { "build", $"{project}/{project}.csproj", "-c", common.ServerConfiguration, "-nologo", "-v", "q", "-clp:ErrorsOnly" })
            psi.ArgumentList.Add(a);
        using var build = Process.Start(psi)!;
        await build.WaitForExitAsync(ct);
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build of {project} failed ({build.ExitCode})");
    }
}

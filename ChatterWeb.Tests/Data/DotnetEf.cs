using System.Diagnostics;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// Runs the repository's local dotnet-ef tool (dotnet-tools.json) against ChatterWeb with
/// --no-build: the app assembly the tests were built with, so a run takes seconds, not a rebuild.
/// </summary>
public static class DotnetEf
{
    public sealed record Result(int ExitCode, string Output, string Error, string CommandLine)
    {
        public override string ToString() => $"`{CommandLine}` exited {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
    }

    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private static readonly SemaphoreSlim RestoreOnce = new(1, 1);
    private static bool _restored;

    /// <summary>The configuration the tests were built in (Debug/Release): ChatterWeb was built in the same one.</summary>
    private static string Configuration =>
        typeof(DotnetEf).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static async Task<Result> RunAsync(params string[] efArguments)
    {
        await EnsureToolAsync();
        EnsureAppIsBuilt();
        string[] args = ["ef", .. efArguments, "--project", RepositoryRoot.PathOf("ChatterWeb/ChatterWeb.csproj"), "--no-build", "--configuration", Configuration];
        return await RunDotnetAsync(RepositoryRoot.PathOf("ChatterWeb"), args);
    }

    private static async Task EnsureToolAsync()
    {
        await RestoreOnce.WaitAsync();
        try
        {
            if (_restored)
                return;
            var restore = await RunDotnetAsync(RepositoryRoot.Path, ["tool", "restore"]);
            Assert.True(restore.ExitCode == 0, $"the local dotnet-ef tool could not be restored (dotnet-tools.json at the repository root):\n{restore}");
            _restored = true;
        }
        finally
        {
            RestoreOnce.Release();
        }
    }

    /// <summary>--no-build needs ChatterWeb/bin/{Configuration}: it must be the very build these tests load.</summary>
    private static void EnsureAppIsBuilt()
    {
        var built = RepositoryRoot.PathOf($"ChatterWeb/bin/{Configuration}/net10.0/ChatterWeb.dll");
        Assert.True(File.Exists(built), $"{built} does not exist: build ChatterWeb in {Configuration} before running dotnet-ef with --no-build");
        using var pe = new PEReader(File.OpenRead(built));
        var metadata = pe.GetMetadataReader();
        var mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        Assert.True(mvid == typeof(Program).Assembly.ManifestModule.ModuleVersionId,
            $"{built} is not the ChatterWeb build these tests run against (stale or rebuilt since): rebuild and rerun");
    }

    private static async Task<Result> RunDotnetAsync(string workingDirectory, string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var psi = new ProcessStartInfo(dotnet, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // No lingering MSBuild nodes or build server holding our output pipes open after the tool exits.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var commandLine = $"{dotnet} {string.Join(' ', args)}";

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"could not start `{commandLine}`: is the .NET SDK on PATH?", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"`{commandLine}` did not finish within {Limit.TotalMinutes} minutes");
            }
            return new Result(process.ExitCode, await stdout, await stderr, commandLine);
        }
    }
}

using System.Diagnostics;

namespace ChatterWeb.Bench;

/// <summary>Runs the bench with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> (read by the runtime only at start-up).</summary>
public static class InlineCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Null when this process already has the setting (go on); otherwise runs a copy of itself with it and returns its exit code.</summary>
    public static int? Relaunch(string[] args)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null || Environment.ProcessPath is not { } self)
            return null; // set (to anything: "0" turns it off on purpose), or no way to start a copy
        var psi = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileName(self) is "dotnet" or "dotnet.exe")
            psi.ArgumentList.Add(typeof(InlineCompletions).Assembly.Location); // started as "dotnet ChatterWeb.Bench.dll"
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        psi.Environment[Variable] = "1";
        using var child = Process.Start(psi) ?? throw new InvalidOperationException("could not start the bench");
        Console.CancelKeyPress += (_, e) => e.Cancel = true; // Ctrl+C reaches the child too; it cleans up and exits
        child.WaitForExit();
        return child.ExitCode;
    }
}

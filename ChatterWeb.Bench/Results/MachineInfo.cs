using System.Runtime.InteropServices;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Results;

/// <summary>The machine a figure was measured on, read from /proc where possible.</summary>
public sealed record MachineInfo(
    int Cores,
    string CpuModel,
    double MemoryGiB,
    string Os,
    string Runtime,
    string OpenFileLimit,
    string LoadAverageAtStart)
{
    public static MachineInfo Read()
    {
        var model = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadField("/proc/meminfo", "MemTotal")?.Replace("kB", "").Trim();
        var mem = long.TryParse(memKb, out var kb) ? Math.Round(kb / 1048576.0, 1) : 0;
        var kernel = TryRead("/proc/sys/kernel/osrelease")?.Trim();
        var limit = FileLimit.Current() is { } l ? $"soft {l.Soft}, hard {l.Hard}" : "unknown";
        var load = TryRead("/proc/loadavg")?.Trim() ?? "unknown";
        return new MachineInfo(Environment.ProcessorCount, model, mem,
            $"{RuntimeInformation.OSDescription}{(kernel is null ? "" : $" (kernel {kernel})")}",
            RuntimeInformation.FrameworkDescription, limit, load);
    }

    public static string LoadAverage() => TryRead("/proc/loadavg")?.Trim() ?? "unknown";

    private static string? ReadField(string path, string field)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(field, StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException) { }
        return null;
    }

    private static string? TryRead(string path)
    {
        try { return File.ReadAllText(path); }
        catch (IOException) { return null; }
    }
}

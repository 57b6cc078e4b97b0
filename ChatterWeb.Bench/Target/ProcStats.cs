using System.Globalization;
using System.Runtime.InteropServices;

namespace ChatterWeb.Bench.Target;

/// <summary>A process's CPU time and memory as the kernel reports them (<c>/proc/&lt;pid&gt;/stat</c> and <c>status</c>).</summary>
public readonly record struct ProcSample(TimeSpan Cpu, long RssBytes, long RssAnonBytes, int Threads)
{
    public double RssMiB => RssBytes / 1048576.0;
}

public static class ProcStats
{
    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);

    private static readonly long TicksPerSecond = OperatingSystem.IsLinux() ? Math.Max(1, SysConf(ScClkTck)) : 100;

    public static bool Available(int pid) => File.Exists($"/proc/{pid}/stat");

    /// <summary>utime + stime of <paramref name="pid"/> (all its threads), or null when it is gone.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        string stat;
        try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // Field 2 (comm) may hold spaces and parentheses: count fields after the last ')'.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // rest[0] is field 3 (state); utime is field 14, stime field 15.
        var utime = long.Parse(rest[14 - 3], CultureInfo.InvariantCulture);
        var stime = long.Parse(rest[15 - 3], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / (double)TicksPerSecond);
    }

    public static ProcSample? Sample(int pid)
    {
        var cpu = CpuTime(pid);
        if (cpu is null)
            return null;
        long rss = 0, anon = 0;
        var threads = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    rss = KiB(line);
                else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                    anon = KiB(line);
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                    threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            return null;
        }
        return new ProcSample(cpu.Value, rss, anon, threads);
    }

    public static ProcSample Self() => Sample(Environment.ProcessId) ?? new ProcSample(
        System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime, Environment.WorkingSet, 0, 0);

    private static long KiB(string line) =>
        long.Parse(line[(line.IndexOf(':') + 1)..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
}

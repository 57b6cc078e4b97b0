using System.Globalization;
using System.Runtime.InteropServices;

namespace ChatterWeb.Bench.Target;

/// <summary>A process's CPU time and memory as the kernel reports them (<c>/proc/&lt;pid&gt;/stat</c> and <c>status</c>).</summary>
public readonly record struct ProcSample(TimeSpan Cpu, long RssBytes, long RssAnonBytes, int Threads)
{
    public double RssMiB => RssBytes / 1048576.0;
}

/// <summary>
/// The whole machine's CPU time so far (the first line of <c>/proc/stat</c>): busy is everything but
/// idle and I/O wait, every process's and the kernel's. SoftIrq is the kernel's softirq share of it,
/// mostly the loopback network's packet work. With tick accounting (this VM's kernel has no
/// CONFIG_IRQ_TIME_ACCOUNTING) that share is also inside the stime of whichever process it interrupted;
/// with IRQ time accounting it would be in no process's.
/// </summary>
public readonly record struct MachineCpuSample(TimeSpan Busy, TimeSpan SoftIrq, TimeSpan Total = default)
{
    /// <summary>The time spent between <paramref name="earlier"/> and this sample.</summary>
    public MachineCpuSample Since(MachineCpuSample earlier) => new(Busy - earlier.Busy, SoftIrq - earlier.SoftIrq, Total - earlier.Total);

    /// <summary>
    /// <paramref name="part"/> (this sample's busy or softirq time) as a percentage of the whole machine's
    /// time in the same window, 100 per core: read from the same counters, so it never passes
    /// 100 x cores, however the window's wall-clock length was measured.
    /// </summary>
    public double PercentOf(TimeSpan part, int cores) => Total > TimeSpan.Zero ? Math.Round(100.0 * cores * part.Ticks / Total.Ticks, 1) : 0;
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

    /// <summary>All cores' busy and softirq time since boot, or null where there is no <c>/proc/stat</c>.</summary>
    public static MachineCpuSample? Machine()
    {
        string? line;
        try { line = File.ReadLines("/proc/stat").FirstOrDefault(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        return line is null ? null : ParseMachine(line, TicksPerSecond);
    }

    /// <summary>
    /// The <c>cpu</c> line of <c>/proc/stat</c> (user nice system idle iowait irq softirq steal guest
    /// guest_nice, in clock ticks): busy is all but idle and iowait, total is all of them (guest time
    /// is already in user and nice); null for any other line.
    /// </summary>
    public static MachineCpuSample? ParseMachine(string line, long ticksPerSecond)
    {
        if (!line.StartsWith("cpu ", StringComparison.Ordinal))
            return null;
        var f = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        long At(int i) => i < f.Length ? f[i] : 0;
        var busy = At(0) + At(1) + At(2) + At(5) + At(6) + At(7);
        var total = busy + At(3) + At(4);
        TimeSpan Time(long ticks) => TimeSpan.FromSeconds(ticks / (double)ticksPerSecond);
        return new MachineCpuSample(Time(busy), Time(At(6)), Time(total));
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

using System.Runtime.InteropServices;

namespace ChatterWeb.Bench.Target;

/// <summary>
/// Open-file limit (RLIMIT_NOFILE): every socket is a file descriptor on both ends. The bench raises
/// its soft limit to the hard limit at start; a server it starts inherits the raised limit.
/// </summary>
public static class FileLimit
{
    private const int RlimitNofile = 7; // Linux

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [DllImport("libc", SetLastError = true, EntryPoint = "getrlimit")]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true, EntryPoint = "setrlimit")]
    private static extern int SetRLimit(int resource, ref RLimit limit);

    /// <summary>(soft, hard) after trying to raise soft to hard; null off Linux.</summary>
    public static (ulong Soft, ulong Hard)? RaiseToHard()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            if (GetRLimit(RlimitNofile, out var limit) != 0)
                return null;
            if (limit.Current < limit.Max)
            {
                var raised = limit with { Current = limit.Max };
                if (SetRLimit(RlimitNofile, ref raised) == 0)
                    limit = raised;
            }
            return (limit.Current, limit.Max);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public static (ulong Soft, ulong Hard)? Current()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            return GetRLimit(RlimitNofile, out var limit) == 0 ? (limit.Current, limit.Max) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}

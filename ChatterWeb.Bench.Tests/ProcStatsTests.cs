using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Tests;

/// <summary>The bench's reading of the whole machine's CPU (the <c>cpu</c> line of <c>/proc/stat</c>).</summary>
public class ProcStatsTests
{
    [Fact]
    public void Machine_busy_time_is_user_nice_system_irq_softirq_and_steal_never_idle_or_iowait()
    {
        //                    user nice system idle iowait irq softirq steal guest guest_nice
        var sample = ProcStats.ParseMachine("cpu  100 20 30 5000 700 5 7 3 40 2", ticksPerSecond: 100);

        Assert.Equal(new MachineCpuSample(TimeSpan.FromSeconds(1.65), TimeSpan.FromSeconds(0.07), TimeSpan.FromSeconds(58.65)), sample);
    }

    [Fact]
    public void An_older_kernels_shorter_line_counts_what_it_has_and_other_lines_are_not_read()
    {
        Assert.Equal(TimeSpan.FromSeconds(1.5), ProcStats.ParseMachine("cpu 100 20 30 5000", ticksPerSecond: 100)?.Busy);
        Assert.Null(ProcStats.ParseMachine("cpu0 100 20 30 5000 700 5 7 3 0 0", ticksPerSecond: 100));
    }

    [Fact]
    public void The_time_between_two_samples_is_their_difference()
    {
        var earlier = new MachineCpuSample(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(40));
        var later = new MachineCpuSample(TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(44));
        Assert.Equal(new MachineCpuSample(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4)), later.Since(earlier));
    }

    [Fact]
    public void The_machine_percentage_is_a_share_of_the_same_counters_so_it_never_passes_100_per_core()
    {
        // 3 s busy of 4 s of CPU time on 2 cores (2 s of wall clock): 150%, whatever the wall clock said.
        var window = new MachineCpuSample(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4));
        Assert.Equal(150, window.PercentOf(window.Busy, cores: 2));
        Assert.Equal(25, window.PercentOf(window.SoftIrq, cores: 2));
        var saturated = new MachineCpuSample(TimeSpan.FromSeconds(4), TimeSpan.Zero, TimeSpan.FromSeconds(4));
        Assert.Equal(200, saturated.PercentOf(saturated.Busy, cores: 2));
    }

    [Fact]
    public void This_machine_has_a_cpu_line()
    {
        var sample = ProcStats.Machine();
        Assert.True(sample is not null, "no cpu line in /proc/stat: the fanout scenario's machine CPU column would be empty");
        Assert.True(sample.Value.Busy > TimeSpan.Zero && sample.Value.SoftIrq <= sample.Value.Busy);
    }
}

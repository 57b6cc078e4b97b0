using System.Text.Json;

namespace ChatterWeb.Bench.Tests;

/// <summary>
/// <c>fanout --peer raw-kestrel</c> loads ChatterWeb.Bench.Peer, the raw Kestrel broadcast the issue
/// measures ChatterWeb beside, the same way it loads ChatterWeb: its smoke run must deliver every
/// message to every member socket, in order, with every send acknowledged (the bench's checks fail
/// the run otherwise), and the results must say which server they came from.
/// </summary>
[Collection(BuiltBench.ServerRuns)]
public class RawKestrelPeerTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "chatterweb-peer-test-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_fanout_smoke_against_the_peer_delivers_everything_and_says_it_was_the_peer()
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromMinutes(2), "(the smoke run takes seconds)",
            "fanout", "--smoke", "--peer", "raw-kestrel", "--server-config", RepositoryRoot.Configuration, "--out", _out);

        Assert.True(exitCode == 0, output);
        Assert.Contains("checks: passed", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "fanout.json")));
        Assert.Contains("raw Kestrel peer", json.RootElement.GetProperty("target").GetString());
        var step = json.RootElement.GetProperty("data").GetProperty("steps")[0];
        Assert.True(step.GetProperty("delivered").GetInt64() > 0);
        Assert.Equal(step.GetProperty("expected").GetInt64(), step.GetProperty("delivered").GetInt64());
        Assert.Equal(step.GetProperty("sent").GetInt64(), step.GetProperty("acked").GetInt64());
        // Its own fragment is small (about 150 bytes with the bench's bodies; ChatterWeb's, about 800).
        Assert.InRange(step.GetProperty("bytesReadPerDelivery").GetDouble(), 100, 300);
        // The whole machine's CPU holds the bench's own and the server's. Loosely: the two are read from
        // different files over windows a few clock ticks apart, and a busy or shared machine accounts
        // them a little differently; a column counted per core, or for one process only, is far outside.
        var machine = step.GetProperty("machineCpuPercent").GetDouble();
        var processes = step.GetProperty("benchCpuPercent").GetDouble() + step.GetProperty("serverCpuPercent").GetDouble();
        Assert.InRange(machine, processes * 0.75 - 5, 100 * Environment.ProcessorCount + 5);
        Assert.InRange(step.GetProperty("softIrqPercent").GetDouble(), 0, machine);
    }

    [Fact]
    public async Task The_peer_pads_its_fragments_to_the_size_asked_for()
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromMinutes(2), "(the smoke run takes seconds)",
            "fanout", "--smoke", "--peer", "raw-kestrel", "--peer-fragment-bytes", "1000", "--server-config", RepositoryRoot.Configuration, "--out", _out);

        Assert.True(exitCode == 0, output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "fanout.json")));
        var step = json.RootElement.GetProperty("data").GetProperty("steps")[0];
        Assert.Equal(step.GetProperty("expected").GetInt64(), step.GetProperty("delivered").GetInt64());
        // Every fragment is 1,000 bytes; the acknowledgements (one per send, read by one socket of ten) add about 10 a delivery.
        Assert.InRange(step.GetProperty("bytesReadPerDelivery").GetDouble(), 1000, 1030);
    }

    [Theory]
    [InlineData("--peer", "nginx")]
    [InlineData("--peer", "raw-kestrel", "--url", "http://127.0.0.1:5000")]
    [InlineData("--peer", "raw-kestrel", "--instances", "2")]
    public async Task A_peer_it_cannot_start_alone_is_a_parse_error(params string[] args)
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromSeconds(60), "was not rejected", ["fanout", .. args]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--peer", output);
    }

    [Theory]
    [InlineData("--peer-fragment-bytes", "800")]
    [InlineData("--peer", "raw-kestrel", "--peer-fragment-bytes", "-1")]
    public async Task Padding_without_the_peer_or_below_zero_is_a_parse_error(params string[] args)
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromSeconds(60), "was not rejected", ["fanout", .. args]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--peer-fragment-bytes", output);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }
}

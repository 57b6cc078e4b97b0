using System.Text.Json;

namespace ChatterWeb.Bench.Tests;

/// <summary>
/// <c>fanout --via-webhook</c>: every message is an incoming webhook's POST (one hook per room, made on
/// the room's integrations page) and must reach every member socket of its room, in order, with every
/// POST answered 200 (the bench's checks fail the run otherwise).
/// </summary>
[Collection(BuiltBench.ServerRuns)]
public class WebhookFanoutTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "chatterweb-webhook-fanout-test-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task The_fanout_smoke_through_webhooks_delivers_every_post_to_every_member()
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromMinutes(3), "(the smoke run takes seconds)",
            "fanout", "--smoke", "--via-webhook", "--server-config", RepositoryRoot.Configuration, "--out", _out);

        Assert.True(exitCode == 0, output);
        Assert.Contains("checks: passed", output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "fanout.json")));
        Assert.Contains("via incoming webhooks", json.RootElement.GetProperty("title").GetString());
        var step = json.RootElement.GetProperty("data").GetProperty("steps")[0];
        Assert.True(step.GetProperty("delivered").GetInt64() > 0);
        Assert.Equal(step.GetProperty("expected").GetInt64(), step.GetProperty("delivered").GetInt64());
        Assert.Equal(step.GetProperty("sent").GetInt64(), step.GetProperty("acked").GetInt64());
    }

    [Fact]
    public async Task Webhooks_and_the_peer_do_not_go_together()
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromSeconds(60), "was not rejected", "fanout", "--via-webhook", "--peer", "raw-kestrel");

        Assert.Equal(1, exitCode);
        Assert.Contains("--via-webhook", output);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }
}

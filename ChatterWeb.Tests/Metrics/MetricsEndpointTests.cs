using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Metrics;

public sealed class MetricsServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Chatter:Metrics:Enabled", "true")];
}

/// <summary>
/// Alone: the OpenTelemetry exporter listens to every meter named "ChatterWeb" in the process, and
/// the other test classes' servers (one per class, in parallel) would add to its counts.
/// </summary>
[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

/// <summary>/metrics: off by default; when on, Prometheus text with the server's own instruments, to loopback callers only.</summary>
[Collection(nameof(MetricsCollection))]
public class MetricsEndpointTests(MetricsServer server) : IClassFixture<MetricsServer>
{
    private static async Task<string> ScrapeAsync(ChatterServer server, Action<HttpRequestMessage>? configure = null)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        configure?.Invoke(request);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : $"HTTP {(int)response.StatusCode}";
    }

    /// <summary>The value of one sample line (<c>name{labels} value</c>), or null.</summary>
    private static double? Sample(string page, string name, string? label = null) =>
        page.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is '{' or ' ') && (label is null || line.Contains(label, StringComparison.Ordinal)))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .Cast<double?>()
            .FirstOrDefault();

    [Fact]
    public async Task Posting_and_delivering_show_up_in_the_counters()
    {
        var alice = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Metrics " + Guid.NewGuid().ToString("N")[..6], alice.Id))).Slug;
        await using var a = await alice.JoinAsync(slug);
        await using var b = await bob.JoinAsync(slug);

        var before = await ScrapeAsync(server);
        for (var i = 0; i < 3; i++)
        {
            await a.SendMessageAsync($"counted {i}");
            await b.WaitForMessageAsync($"counted {i}");
        }
        // The exporter caches its page briefly: scrape until it shows all three (or give up and compare).
        var expected = (Sample(before, "chatter_messages_posted_total") ?? 0) + 3;
        string after = before;
        var framesBefore = Sample(before, "chatter_frames_sent_total") ?? 0;
        // (a send is counted when SendAsync returns, which can be a moment after the peer has read it)
        for (var tries = 0; tries < 50 && (Sample(after, "chatter_messages_posted_total") != expected || Sample(after, "chatter_frames_sent_total") < framesBefore + 6); tries++)
        {
            await Task.Delay(200);
            after = await ScrapeAsync(server);
        }

        Assert.Equal(expected, Sample(after, "chatter_messages_posted_total"));
        Assert.True(Sample(after, "chatter_frames_sent_total") >= framesBefore + 6, "each message reached two sockets");
        Assert.True(Sample(after, "chatter_bytes_sent_bytes_total") > (Sample(before, "chatter_bytes_sent_bytes_total") ?? 0), "bytes sent (unit By: the exporter adds _bytes)");
        Assert.True(Sample(after, "chatter_sockets_open") >= 2);
        Assert.NotNull(Sample(after, "chatter_post_duration_seconds_count"));
        Assert.NotNull(Sample(after, "chatter_send_queue_depth", "chatter_queue=\"max\""));
        Assert.True(Sample(after, "chatter_process_memory_gc_heap_bytes") > 0);
        Assert.True(Sample(after, "dotnet_process_memory_working_set_bytes") > 0, "the runtime's own meter is exported too");
        Assert.NotNull(Sample(after, "chatter_messages_batch_size_count"));
    }

    [Fact]
    public async Task A_caller_that_is_not_on_loopback_gets_404()
    {
        // Through a trusted proxy (loopback is one by default) for a client elsewhere.
        var page = await ScrapeAsync(server, r => r.Headers.Add("X-Forwarded-For", "203.0.113.9"));
        Assert.Equal("HTTP 404", page);
    }

    [Fact]
    public async Task Without_the_setting_there_is_no_metrics_page()
    {
        using var plain = new ChatterServer();
        Assert.Equal("HTTP 404", await ScrapeAsync(plain));
    }
}

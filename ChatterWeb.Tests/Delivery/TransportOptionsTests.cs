using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Tests.Delivery;

/// <summary>Kestrel's socket transport as the app sets it up (<see cref="RealtimeOptions.IOQueueCount"/>).</summary>
public class TransportOptionsTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)] // measured: one queue on two cores sends with less CPU and a shorter tail
    [InlineData(4, 4)] // larger machines keep Kestrel's default: one per core...
    [InlineData(32, 16)] // ...at most 16
    public void Unset_the_IO_queues_are_one_on_two_cores_and_Kestrels_default_above(int processors, int queues) =>
        Assert.Equal(queues, RealtimeOptions.DefaultIOQueueCount(processors));

    [Theory]
    [InlineData(2, null, 1)] // Kestrel's own default would be 2 here: the app's choice must be applied
    [InlineData(8, null, 8)]
    [InlineData(2, "3", 3)]
    [InlineData(2, "0", 0)]
    public void The_transport_gets_the_configured_count_or_the_default(int processors, string? configured, int queues)
    {
        var options = new ConfigurationBuilder()
            .AddInMemoryCollection(configured is null ? [] : [new("IOQueueCount", configured)])
            .Build()
            .Get<RealtimeOptions>() ?? new RealtimeOptions();
        Assert.Equal(queues, options.IOQueuesOn(processors));
    }

    [Fact]
    public void The_server_runs_with_the_default_for_this_machine()
    {
        var transport = server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        Assert.Equal(RealtimeOptions.DefaultIOQueueCount(Environment.ProcessorCount), transport.IOQueueCount);
        Assert.False(transport.UnsafePreferInlineScheduling);
    }
}

public sealed class ThreeIOQueuesServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Chatter:Realtime:IOQueueCount", "3"), new("Chatter:Realtime:InlineTransport", "true")];
}

/// <summary>Configuration wins over the default.</summary>
public class ConfiguredTransportOptionsTests(ThreeIOQueuesServer server) : IClassFixture<ThreeIOQueuesServer>
{
    [Fact]
    public async Task A_configured_count_is_used_and_the_server_still_serves()
    {
        var transport = server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        Assert.Equal(3, transport.IOQueueCount);
        Assert.True(transport.UnsafePreferInlineScheduling);
        using var response = await server.NewBrowser().GetAsync("/healthz");
        Assert.True(response.IsSuccessStatusCode);
    }
}

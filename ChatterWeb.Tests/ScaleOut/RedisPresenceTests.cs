using ChatterWeb.Delivery.Redis;
using ChatterWeb.Presence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>Cluster-wide presence against a real redis-server; two RedisPresence objects stand for two instances.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class RedisPresenceTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private ConnectionMultiplexer _mux = null!;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _mux = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _mux.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private RedisPresence Instance() => new(_mux, new PresenceTracker(), new InstanceId(), _clock, NullLogger<RedisPresence>.Instance);

    [Fact]
    public async Task A_person_counts_once_across_instances_and_a_dead_instance_stops_counting_within_the_ttl()
    {
        RedisPresence a = Instance(), b = Instance();
        Assert.True(await a.JoinAsync(5, "ann", "Ann"));
        Assert.False(await a.JoinAsync(5, "ann", "Ann")); // second tab on A: nothing changes
        Assert.True(await b.JoinAsync(5, "ann", "Ann"));  // a tab on B
        Assert.True(await b.JoinAsync(5, "bo", "Bo"));

        Assert.Equal(["Ann", "Bo"], (await a.InRoomAsync(5)).Select(p => p.DisplayName));
        Assert.Equal(["Ann", "Bo"], (await b.InRoomAsync(5)).Select(p => p.DisplayName));
        Assert.Empty(await a.InRoomAsync(6));

        // Bo closes his only tab on B: gone everywhere at once
        Assert.True(await b.LeaveAsync(5, "bo"));
        Assert.Equal(["Ann"], (await a.InRoomAsync(5)).Select(p => p.DisplayName));

        // B dies (no leave, no heartbeat) while Bo2 is there; A keeps beating for its own people
        Assert.True(await b.JoinAsync(5, "bo2", "Bo Two"));
        await a.LeaveAsync(5, "ann");
        await a.LeaveAsync(5, "ann"); // Ann's tabs on A are closed; her tab on B died with B
        Assert.Equal(["Ann", "Bo Two"], (await a.InRoomAsync(5)).Select(p => p.DisplayName));
        _clock.Advance(RedisPresence.Ttl - TimeSpan.FromSeconds(1));
        await a.RefreshAsync();
        Assert.Equal(2, (await a.InRoomAsync(5)).Count);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await a.RefreshAsync();
        Assert.Empty(await a.InRoomAsync(5));
    }
}

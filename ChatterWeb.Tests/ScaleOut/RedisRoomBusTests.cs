using ChatterWeb.Delivery.Redis;
using ChatterWeb.Delivery;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>The Redis room bus on its own, against a real redis-server: two buses stand for two instances (order and duplicates are the room sequencer's: RoomSequencerTests).</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class RedisRoomBusTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private ConnectionMultiplexer _muxA = null!, _muxB = null!;
    private RedisRoomBus _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        await _redis.StartAsync();
        _muxA = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _muxB = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _a = new RedisRoomBus(_muxA, new InstanceId(), NullLogger<RedisRoomBus>.Instance);
        _b = new RedisRoomBus(_muxB, new InstanceId(), NullLogger<RedisRoomBus>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _muxA.DisposeAsync();
        await _muxB.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static RoomFrame Frame(long room, long seq) => new(room, seq, System.Text.Encoding.UTF8.GetBytes($"<p>{room}:{seq}</p>"));
    private static string Text(RoomFrame f) => System.Text.Encoding.UTF8.GetString(f.Html.Span);

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
    }

    [Fact]
    public async Task Frames_cross_in_order_once_only_to_their_room_and_only_while_listened_to()
    {
        List<RoomFrame> onA = [], onB = [], otherRoomOnB = [];
        using var leaseA = (IListenLease)_a.Listen(1, f => { lock (onA) onA.Add(f); });
        using var leaseB = (IListenLease)_b.Listen(1, f => { lock (onB) onB.Add(f); });
        using var other = (IListenLease)_b.Listen(2, f => { lock (otherRoomOnB) otherRoomOnB.Add(f); });
        await Task.WhenAll(leaseA.Listening, leaseB.Listening, other.Listening);

        for (var seq = 1; seq <= 200; seq++)
            await _a.PublishAsync(Frame(1, seq));
        await UntilAsync(() => { lock (onB) return onB.Count == 200; });

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), onB.Select(f => f.Seq));
        Assert.Equal("<p>1:200</p>", Text(onB[^1]));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), onA.Select(f => f.Seq)); // local once, not echoed
        Assert.Empty(otherRoomOnB);

        // no lease, no subscription: the channel has no subscriber left on B
        leaseB.Dispose();
        await UntilAsync(() => _muxA.GetServers()[0].SubscriptionSubscriberCount(RedisRoomBus.ChannelFor(1)) == 1);
        Assert.Equal(1, _muxA.GetServers()[0].SubscriptionSubscriberCount(RedisRoomBus.ChannelFor(1)));
    }
}

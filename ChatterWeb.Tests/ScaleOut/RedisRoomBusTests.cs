using ChatterWeb.Messages;
using ChatterWeb.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>The Redis adapter on its own, against a real redis-server: two buses stand for two instances.</summary>
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
        // no database here: a lease's watermark starts with its first frame
        var scopes = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();
        _a = new RedisRoomBus(_muxA, scopes, NullLogger<RedisRoomBus>.Instance);
        _b = new RedisRoomBus(_muxB, scopes, NullLogger<RedisRoomBus>.Instance);
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

    [Fact]
    public async Task A_catch_up_delivers_only_what_was_not_shown_and_a_late_live_frame_is_not_shown_twice()
    {
        List<long> shown = [];
        using var lease = (IListenLease)_b.Listen(7, f => { lock (shown) shown.AddRange(f.Seq == 0 ? [0] : SeqsIn(f)); });
        using var sender = (IListenLease)_a.Listen(7, _ => { });
        await Task.WhenAll(lease.Listening, sender.Listening);

        await _a.PublishAsync(Frame(7, 1));
        await _a.PublishAsync(Frame(7, 2));
        await UntilAsync(() => { lock (shown) return shown.Count == 2; });

        // 3 and 4 were lost on the way; the database has 1..4
        var stored = Enumerable.Range(1, 4).Select(i => new MessageView(i, "u", "U", $"m{i}", DateTimeOffset.UnixEpoch)).ToList();
        _b.DeliverCatchUp(7, stored);
        Assert.Equal(new (long, long?, bool)[] { (7, 4, false) }, _b.Watermarks());

        await _a.PublishAsync(Frame(7, 4)); // arrives late: already shown by the catch-up
        await _a.PublishAsync(Frame(7, 5));
        await UntilAsync(() => { lock (shown) return shown.Contains(5); });
        Assert.Equal([1, 2, 3, 4, 5], shown);
    }

    private static IEnumerable<long> SeqsIn(RoomFrame f)
    {
        var text = Text(f);
        var ms = System.Text.RegularExpressions.Regex.Matches(text, "data-seq=\"(\\d+)\"");
        return ms.Count > 0 ? ms.Select(m => long.Parse(m.Groups[1].Value)) : [f.Seq];
    }
}

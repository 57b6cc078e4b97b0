using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>
/// A join storm costs a few people-list frames, not one full list per arrival to everyone (O(N²)
/// bytes that filled the send queues of big rooms), and the last frame always has everyone.
/// </summary>
public class PresenceStormTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    private static readonly TimeSpan PresenceBroadcasterWait = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task Thirty_people_arriving_at_once_reach_an_observer_in_a_few_frames_and_the_last_lists_them_all()
    {
        var observer = await server.SignUpAsync();
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Storm " + Guid.NewGuid().ToString("N")[..6], observer.Id))).Slug;
        await using var watch = await observer.JoinAsync(slug);
        await Task.Delay(PresenceBroadcasterWait);
        var before = watch.Seen.Count(f => f.Contains("id=\"presence\""));

        var people = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => server.SignUpAsync()));
        var sockets = await Task.WhenAll(people.Select(p => p.JoinAsync(slug)));
        try
        {
            await watch.WaitForAsync(f => f.Contains("id=\"presence\"") && people.All(p => f.Contains(p.Id)), TimeSpan.FromSeconds(20));
            var frames = watch.Seen.Count(f => f.Contains("id=\"presence\"")) - before;
            Assert.InRange(frames, 1, 10); // one per arrival would be 30
        }
        finally
        {
            foreach (var s in sockets)
                await s.DisposeAsync();
        }
        // and leaving is published too: the observer ends up alone
        await watch.WaitForAsync(f => f.Contains("id=\"presence\"") && f.Contains(observer.Id) && !people.Any(p => f.Contains(p.Id)), TimeSpan.FromSeconds(20));
    }
}

using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>
/// A socket gets the whole people list once, when it opens; the room then hears only who arrived
/// or left, coalesced: a join storm costs an observer a few small change frames (not one whole list
/// per arrival, O(N²) bytes that filled the send queues of big rooms), and the observer's list ends
/// up exactly right.
/// </summary>
public class PresenceStormTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    private static readonly TimeSpan PresenceBroadcasterWait = TimeSpan.FromMilliseconds(600);

    [Fact]
    public async Task Thirty_people_arriving_at_once_reach_an_observer_as_a_few_change_frames_and_leaving_is_published_too()
    {
        var observer = await server.SignUpAsync();
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Storm " + Guid.NewGuid().ToString("N")[..6], observer.Id))).Slug;
        await using var watch = await observer.JoinAsync(slug);
        await watch.WaitForPresenceAsync(p => p.Count == 1 && p.ContainsKey(observer.Id));
        await Task.Delay(PresenceBroadcasterWait); // the observer's own arrival has been told to the room
        var before = watch.Seen.Count;

        var people = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => server.SignUpAsync()));
        var sockets = await Task.WhenAll(people.Select(p => p.JoinAsync(slug)));
        try
        {
            await watch.WaitForPresenceAsync(p => p.Count == 31 && people.All(x => p.ContainsKey(x.Id)), TimeSpan.FromSeconds(20));
            var storm = watch.Seen.Skip(before).Where(PresenceView.IsPresence).ToList();
            Assert.All(storm, f => Assert.True(PresenceView.IsChanges(f), "the room gets changes, never the whole list: " + f[..Math.Min(f.Length, 80)]));
            Assert.InRange(storm.Count, 1, 10); // one per arrival would be 30
            // each arrival is in the frames once or a few times, never the whole room each time
            Assert.InRange(storm.Sum(f => f.Split("<li ").Length - 1), 30, 60);
            // the arrivals' own first frame is the whole list, with everyone already here
            var first = sockets[0].Seen.First(PresenceView.IsPresence);
            Assert.True(PresenceView.IsWholeList(first));
            Assert.Contains(observer.Id, first);
        }
        finally
        {
            foreach (var s in sockets)
                await s.DisposeAsync();
        }
        var alone = await watch.WaitForPresenceAsync(p => p.Count == 1, TimeSpan.FromSeconds(20));
        Assert.True(alone.ContainsKey(observer.Id));
    }

    [Fact]
    public async Task A_second_tab_is_not_news_to_the_room_and_closing_one_of_two_tabs_keeps_the_person_listed()
    {
        var observer = await server.SignUpAsync();
        var ada = await server.SignUpAsync();
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync("Tabs " + Guid.NewGuid().ToString("N")[..6], observer.Id))).Slug;
        await using var watch = await observer.JoinAsync(slug);
        await using var first = await ada.JoinAsync(slug);
        await watch.WaitForPresenceAsync(p => p.ContainsKey(ada.Id));
        var before = watch.Seen.Count(PresenceView.IsPresence);

        var second = await ada.JoinAsync(slug); // gets the whole list for itself
        Assert.True(PresenceView.Of(second.Seen).ContainsKey(observer.Id));
        await second.DisposeAsync();

        // Barrier: someone arriving after that tab closed makes a change frame that comes after (or
        // with) anything Ada's second tab could have caused; she was never news, and is still listed.
        var other = await server.SignUpAsync();
        await using var barrier = await other.JoinAsync(slug);
        await watch.WaitForPresenceAsync(p => p.ContainsKey(other.Id));
        var after = watch.Seen.Where(PresenceView.IsPresence).Skip(before).ToList();
        Assert.DoesNotContain(after, f => f.Contains(ada.Id));
        Assert.True(PresenceView.Of(watch.Seen).ContainsKey(ada.Id));
    }
}

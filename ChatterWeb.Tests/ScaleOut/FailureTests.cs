using System.Net;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>An instance dies mid-stream: nothing acknowledged is lost; the database is the truth.</summary>
[Collection(ScaleOutCollection.Name)]
public class InstanceDeathTests(DisposableCluster cluster) : IClassFixture<DisposableCluster>
{
    [Fact]
    public async Task B_killed_mid_stream_loses_nothing_acknowledged_and_a_resume_on_A_gets_it_all()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice");
        var bob = await Browser.SignUpAsync(cluster.A.BaseUri, "Bob");
        var room = await Cluster.CreateRoomAsync(alice, "Crash");
        await using var aliceOnA = await alice.JoinAsync(room);
        var bobOnB = await bob.JoinAsync(room, cluster.B.BaseUri);

        // Bob streams messages on B without waiting; B is killed while they flow.
        var sent = new List<(string Id, string Body)>();
        for (var i = 0; i < 40; i++)
        {
            var id = Guid.NewGuid().ToString();
            sent.Add((id, $"stream {i:D2}"));
            try { await bobOnB.SendMessageAsync($"stream {i:D2}", id); } catch (Exception) { break; }
            if (i == 15)
            {
                await bobOnB.WaitForAsync(f => f.Contains($"data-ack=\"{sent[10].Id}\""));
                await cluster.B.DisposeAsync(); // SIGKILL, no drain
            }
        }
        await bobOnB.WaitForCloseAsync(TimeSpan.FromSeconds(5));
        var acked = sent.Where(s => bobOnB.Seen.Any(f => f.Contains($"data-ack=\"{s.Id}\""))).ToList();
        Assert.True(acked.Count >= 11, $"only {acked.Count} acks before the kill");

        // Bob's page reconnects through the balancer to A and resumes from what it had shown.
        var shownBeforeDeath = Cluster.Seqs(bobOnB).DefaultIfEmpty(0).Max();
        await using var bobOnA = await bob.JoinAsync(room);
        await bobOnA.SendJsonAsync(new { type = "resume", afterSeq = shownBeforeDeath });
        foreach (var (_, body) in acked)
            if (!bobOnB.Seen.Any(f => f.Contains(body)))
                await Cluster.SawAsync(bobOnA, body);

        // and Alice, who stayed on A, can heal from the database all the same
        await using var aliceAgain = await alice.JoinAsync(room);
        await aliceAgain.SendJsonAsync(new { type = "resume", afterSeq = 0 });
        var all = await aliceAgain.WaitForAsync(f => f.Contains("<article"));
        foreach (var (_, body) in acked)
            Assert.Contains(body, all);
        await bobOnB.DisposeAsync();
    }
}

/// <summary>
/// Redis goes away mid-stream and comes back: each instance keeps serving its own sockets and
/// storing messages; afterwards every open socket has every message exactly once.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public class RedisOutageTests(DisposableCluster cluster) : IClassFixture<DisposableCluster>
{
    [Fact]
    public async Task Redis_stopped_and_restarted_mid_stream_heals_every_gap_without_duplicates_and_readyz_follows()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob");
        var room = await Cluster.CreateRoomAsync(alice, "Outage");
        await using var onA = await alice.JoinAsync(room);
        await using var onB = await bob.JoinAsync(room);

        await Cluster.SendAckedAsync(onA, "before 1");
        await Cluster.SendAckedAsync(onB, "before 2");
        await Cluster.SawAsync(onA, "before 2");
        await Cluster.SawAsync(onB, "before 1");

        await cluster.Redis.StopAsync();
        await Cluster.EventuallyAsync(async () => await Cluster.ReadyzAsync(cluster.A) == HttpStatusCode.ServiceUnavailable, "A not ready without Redis", TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await Cluster.ReadyzAsync(cluster.B));
        Assert.Equal(HttpStatusCode.OK, await new HttpClient { BaseAddress = cluster.A.BaseUri }.GetAsync("/healthz").ContinueWith(t => t.Result.StatusCode));

        // both instances keep storing and serving their own sockets, promptly
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            await Cluster.SendAckedAsync(onA, $"during A{i}");
            await Cluster.SendAckedAsync(onB, $"during B{i}");
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"sends during the outage took {clock.Elapsed.TotalMilliseconds:F0} ms");
        await Cluster.SawAsync(onA, "during A2");
        await Cluster.SawAsync(onB, "during B2");

        await cluster.Redis.StartAsync();
        await Cluster.EventuallyAsync(async () => await Cluster.ReadyzAsync(cluster.A) == HttpStatusCode.OK, "A ready again");
        await Cluster.EventuallyAsync(async () => await Cluster.ReadyzAsync(cluster.B) == HttpStatusCode.OK, "B ready again");

        // the gaps are filled from the database without a reconnect
        await Cluster.SawAsync(onA, "during B2");
        await Cluster.SawAsync(onB, "during A2");

        // and live traffic crosses again
        await Cluster.SendAckedAsync(onA, "after 1");
        await Cluster.SendAckedAsync(onB, "after 2");
        await Cluster.SawAsync(onA, "after 2");
        await Cluster.SawAsync(onB, "after 1");

        var expected = Enumerable.Range(1, 10).Select(i => (long)i).ToList();
        foreach (var socket in new[] { onA, onB })
        {
            var seqs = Cluster.Seqs(socket);
            // Each exactly once. Arrival order may differ around the heal (a catch-up lands after a
            // later live frame); the page keeps #messages sorted by seq, so this is what it shows.
            Assert.Equal(expected, seqs.Order().ToList());
            Assert.Equal(seqs.Count, seqs.Distinct().Count());
        }
    }
}

using System.Collections.Concurrent;
using ChatterWeb.Tests.Infrastructure;
using Npgsql;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>Both instances' writers with no rate limit in their way.</summary>
public sealed class FullSpeedCluster : Cluster
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter__Realtime__MessageBurst", "100000"),
        new("Chatter__Realtime__MessagesPerSecond", "100000"),
    ];
}

/// <summary>
/// What one SQLite writer per file never had to show: two instances, each with its own writer,
/// committing into the same room at once on one PostgreSQL database. The room row's lock orders
/// them, so the Seqs are 1..N without a gap or a repeat, and every socket on either instance gets
/// each message once.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public class ConcurrentPostingTests(FullSpeedCluster cluster) : IClassFixture<FullSpeedCluster>
{
    private const int SocketsPerInstance = 3;
    private const int MessagesPerSocket = 100;

    [Fact]
    public async Task Two_instances_posting_into_one_room_at_full_speed_take_every_seq_once_without_gaps()
    {
        var owner = await Browser.SignUpAsync(cluster.A.BaseUri, "Owner");
        var room = await Cluster.CreateRoomAsync(owner, "Busy");
        var senders = new List<TestSocket>();
        foreach (var instance in new[] { cluster.A, cluster.B })
        {
            for (var i = 0; i < SocketsPerInstance; i++)
            {
                var person = await Browser.SignUpAsync(instance.BaseUri, $"Sender {instance.Port} {i}");
                senders.Add(await person.JoinAsync(room));
            }
        }
        await using var _ = new AsyncDisposables(senders);

        // every socket sends its messages without waiting for an answer, all at once
        var ids = new ConcurrentBag<string>();
        await Task.WhenAll(senders.Select(async (socket, s) =>
        {
            for (var m = 0; m < MessagesPerSocket; m++)
            {
                var id = $"{s}-{m}-{Guid.NewGuid():N}";
                ids.Add(id);
                await socket.SendMessageAsync($"socket {s} message {m}", id);
            }
        }));
        const int total = 2 * SocketsPerInstance * MessagesPerSocket;
        foreach (var socket in senders)
        {
            await Cluster.EventuallyAsync(() => Task.FromResult(socket.Seen.Count(f => f.Contains("data-ack=")) >= MessagesPerSocket),
                "every send of the socket acknowledged", TimeSpan.FromSeconds(60));
            Assert.DoesNotContain(socket.Seen, f => f.Contains("composer-status") && f.Contains("error"));
        }

        // stored: seqs 1..total, each once, and the room's counter at the last one
        var (seqs, lastSeq) = await StoredAsync(room);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), seqs);
        Assert.Equal(total, lastSeq);

        // delivered: every socket, on either instance, saw each message once
        foreach (var socket in senders)
        {
            await Cluster.EventuallyAsync(() => Task.FromResult(Cluster.Seqs(socket).Count >= total), "every message reached the socket", TimeSpan.FromSeconds(30));
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), Cluster.Seqs(socket).Order());
        }
    }

    private async Task<(List<long> Seqs, long LastSeq)> StoredAsync(string slug)
    {
        await using var connection = new NpgsqlConnection(cluster.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT m.\"Seq\", r.\"LastSeq\" FROM \"Messages\" m JOIN \"Rooms\" r ON r.\"Id\" = m.\"RoomId\" WHERE r.\"Slug\" = @slug ORDER BY m.\"Seq\"", connection);
        command.Parameters.AddWithValue("slug", slug);
        var seqs = new List<long>();
        long last = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
            last = reader.GetInt64(1);
        }
        return (seqs, last);
    }

    private sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var item in items)
                await item.DisposeAsync();
        }
    }
}

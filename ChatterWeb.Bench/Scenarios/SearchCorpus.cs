using System.Diagnostics;
using ChatterWeb.Bench.Client;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Scenarios;

/// <summary>
/// A searchable history written straight into the server's SQLite file: a few authors, open rooms and
/// one members-only room the searcher is not in, and <c>messages</c> lines of ordinary chat
/// (<see cref="ChatText"/>) spread evenly over them. Message n (numbered over all rooms) holds
/// <see cref="ChatText.FrequentWord"/> when n % 1000 == 500 (0.1%); <see cref="ChatText.RareWord"/> is
/// in five messages of the open rooms and one of the members-only room. The migration's triggers
/// index every row for search as it is inserted.
/// </summary>
public sealed record SearchCorpus(
    ChatClient Searcher, IReadOnlyList<ChatClient> Authors, IReadOnlyList<string> OpenRooms, string ClosedRoom, string ClosedRoomName,
    long Messages, long FrequentHits, long RareHits, double SeedSeconds, double FileMiB)
{
    /// <summary>Signs up the authors and the searcher, makes the rooms and writes the history into the server's file.</summary>
    public static async Task<SearchCorpus> BuildAsync(TargetSet targets, long messages, int rooms, CancellationToken ct)
    {
        var dbPath = targets.DatabasePath ?? throw new InvalidOperationException("the history is written into the server's SQLite file: run without --url (the bench's own server) or give --db");
        var runId = Population.NewRunId();
        var authorCount = Math.Min(rooms, 4);
        var people = await Population.SignUpAsync(targets, authorCount + 1, runId, parallel: 4, ct);
        var (authors, searcher) = (people.Take(authorCount).ToList(), people[^1]);
        var open = new List<string>();
        for (var r = 0; r < rooms; r++)
            open.Add(await authors[r % authorCount].CreateRoomAsync($"search {runId} room {r}", ct));
        var closedName = $"search {runId} members only";
        var closed = await authors[0].CreateRoomAsync(closedName, ct, membersOnly: true);
        // One message the normal way, to check the seeded rows' time encoding against.
        await PageScenario.PostMessagesAsync(targets.Instances[0], open[0], authors[0], 1, ct);

        using var db = new SqliteHistory(dbPath);
        db.CheckTimeEncoding(db.Room(open[0]).RoomId);
        var perRoom = messages / (rooms + 1);
        var openTotal = perRoom * rooms;
        var rare = Enumerable.Range(1, 5).Select(k => openTotal * k / 6).Append(openTotal + perRoom / 2).ToHashSet();
        var slugs = open.Append(closed).ToList();
        var seeded = 0L;
        var clock = Stopwatch.StartNew();
        using (Progress.Start("seeding", () => $"{Volatile.Read(ref seeded):N0}/{perRoom * slugs.Count:N0} messages"))
        {
            await Task.Run(() =>
            {
                for (var k = 0; k < slugs.Count; k++)
                {
                    var (roomId, lastSeq) = db.Room(slugs[k]);
                    var offset = k * perRoom - lastSeq - 1; // seq s of room k is message number s + offset
                    var author = db.UserId(authors[k % authorCount].Email);
                    var done = Volatile.Read(ref seeded);
                    db.Seed(roomId, author, lastSeq + 1, lastSeq + perRoom, n => Volatile.Write(ref seeded, done + n), seq => Body(seq + offset, rare));
                    Volatile.Write(ref seeded, done + perRoom);
                }
            }, ct);
        }
        var fileMiB = (new FileInfo(dbPath).Length + (File.Exists(dbPath + "-wal") ? new FileInfo(dbPath + "-wal").Length : 0)) / 1048576.0;
        Console.Error.WriteLine($"seeded {perRoom * slugs.Count:N0} messages in {clock.Elapsed.TotalSeconds:0.0}s ({fileMiB:0} MiB)");
        return new SearchCorpus(searcher, authors, open, closed, closedName, perRoom * slugs.Count, FrequentBelow(openTotal), 5, clock.Elapsed.TotalSeconds, fileMiB);
    }

    /// <summary>Message n's body: a line of chat, with the frequent or rare word where they belong.</summary>
    public static string Body(long n, IReadOnlySet<long> rare)
    {
        var line = ChatText.Line(n);
        if (n % 1000 == 500)
            line = $"{line[..^1]} about the {ChatText.FrequentWord}{line[^1]}";
        if (rare.Contains(n))
            line = $"{line[..^1]}, see {ChatText.RareWord}{line[^1]}";
        return line;
    }

    /// <summary>How many of the message numbers below <paramref name="total"/> hold the frequent word (500, 1500, ...).</summary>
    public static long FrequentBelow(long total) => total > 500 ? (total - 501) / 1000 + 1 : 0;
}

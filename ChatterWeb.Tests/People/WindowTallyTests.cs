using ChatterWeb.Data;
using ChatterWeb.Notifications;

namespace ChatterWeb.Tests.People;

/// <summary>
/// A room's members' counts made from one window by searching, not by asking the rule of every
/// message for every member, give exactly what the rule gives.
/// </summary>
public class WindowTallyTests
{
    private static readonly string[] People = ["alice", "bob", "carol", "dave", "erin"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Each_members_count_is_what_the_rule_counts(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 40; round++)
        {
            var lastSeq = random.Next(1, 2600);
            var floor = Math.Max(0, lastSeq - random.Next(1, 1400)); // the window the query read: it may reach below the rule's window
            var window = new List<Message>();
            for (var seq = floor + 1; seq <= lastSeq; seq++)
            {
                if (random.Next(10) == 0)
                    continue; // deleted: the query leaves it out
                var reply = random.Next(4) == 0;
                window.Add(new Message
                {
                    Seq = seq,
                    AuthorId = People[random.Next(People.Length)],
                    Body = "",
                    ClientMessageId = "",
                    ParentSeq = reply ? Math.Max(1, seq - random.Next(1, 50)) : null,
                    AlsoInRoom = reply && random.Next(3) == 0,
                    ThreadPeople = reply && random.Next(2) == 0 ? string.Join(' ', People.Where(_ => random.Next(2) == 0)) : null,
                });
            }
            var shuffled = window.ToArray();
            random.Shuffle(shuffled); // the query's order is not promised

            var tally = new WindowTally(shuffled, lastSeq);
            foreach (var person in People.Append("stranger"))
            {
                foreach (var lastRead in new long[] { 0, floor, floor + 1, lastSeq - 1000, lastSeq - 999, random.Next(0, lastSeq + 1), lastSeq - 1, lastSeq, lastSeq + 5 })
                {
                    var byRule = window.Count(m => UnreadRule.CountsIn(m, lastRead, lastSeq, person));
                    Assert.True(byRule == tally.Count(lastRead, person), $"seed {seed} round {round}: {person} read to {lastRead} of {lastSeq}: rule {byRule}, tally {tally.Count(lastRead, person)}");
                }
            }
        }
    }

    [Fact]
    public void An_empty_window_counts_nothing()
    {
        var tally = new WindowTally([], 42);
        Assert.Equal(0, tally.Count(0, "alice"));
    }
}

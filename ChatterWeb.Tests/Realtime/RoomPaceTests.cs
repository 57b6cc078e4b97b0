using ChatterWeb.Realtime;

namespace ChatterWeb.Tests.Realtime;

/// <summary>
/// The pacing decision (<see cref="RoomPace"/>) on a clock of its own: 1 tick = 1 ms, interval 25 ms.
/// Each case plays a room's messages (one room-wide send each, at once or when the wait says) and
/// looks at the waits and at how many sends carried them.
/// </summary>
public class RoomPaceTests
{
    private const long Interval = 25;

    /// <summary>Messages every <paramref name="gap"/> ms; returns each message's wait and the number of sends.</summary>
    private static (List<long> Waits, int Sends) Play(RoomPace pace, long gap, int messages, ref long now)
    {
        var waits = new List<long>();
        var sends = 0;
        long nextSendAt = long.MinValue; // a send scheduled for later carries what arrives until then
        for (var i = 0; i < messages; i++, now += gap)
        {
            if (nextSendAt >= now)
            {
                waits.Add(nextSendAt - now); // joins the waiting send
                pace.Arrived(now);
                continue;
            }
            pace.Arrived(now);
            var wait = pace.Wait(now);
            waits.Add(wait);
            sends++;
            nextSendAt = now + wait;
            pace.Sent(nextSendAt);
            if (wait == 0)
                nextSendAt = long.MinValue;
        }
        return (waits, sends);
    }

    [Fact]
    public void A_room_slower_than_three_quarters_of_an_interval_never_waits_even_at_almost_one_message_per_interval()
    {
        long now = 1_000_000;
        var pace = new RoomPace(Interval, 1000);
        foreach (var gap in new long[] { 1000, 200, 30, 25, 20 })
        {
            var (waits, sends) = Play(pace, gap, 400, ref now);
            Assert.All(waits, w => Assert.Equal(0, w));
            Assert.Equal(400, sends);
        }
    }

    [Fact]
    public void A_flooded_room_sends_once_per_interval_and_no_message_waits_longer_than_one()
    {
        long now = 1_000_000;
        var pace = new RoomPace(Interval, 1000);
        Play(pace, 5, 40, ref now); // the average learns the flood
        var (waits, sends) = Play(pace, 5, 1000, ref now); // 5 s at 200 messages/s
        Assert.InRange(sends, 195, 205); // one per 25 ms, not 1,000
        Assert.All(waits, w => Assert.InRange(w, 0, Interval));
    }

    [Fact]
    public void A_room_that_turns_into_a_flood_waits_at_most_one_interval_for_its_first_paced_send()
    {
        // Just below the flood rate the sends are not paced and come faster than one per interval;
        // the schedule must not run ahead with them (the first paced message would wait for all of it).
        long now = 1_000_000;
        var pace = new RoomPace(Interval, 1000);
        Play(pace, 20, 1000, ref now);
        var (waits, _) = Play(pace, 5, 200, ref now);
        Assert.All(waits, w => Assert.InRange(w, 0, Interval));
        Assert.Contains(waits, w => w > 0);
    }

    [Fact]
    public void Zero_turns_pacing_off()
    {
        long now = 1_000_000;
        var pace = new RoomPace(0, 1000);
        var (waits, sends) = Play(pace, 1, 500, ref now);
        Assert.False(pace.Enabled);
        Assert.All(waits, w => Assert.Equal(0, w));
        Assert.Equal(500, sends);
    }
}

using ChatterWeb.Delivery;

namespace ChatterWeb.Tests.Delivery;

/// <summary>
/// The pacing decision (<see cref="RoomPace"/>) on a clock of its own: 1 tick = 1 ms, interval 25 ms.
/// Each case plays a room's messages and looks at the waits and at how many sends carried them.
/// </summary>
public class RoomPaceTests
{
    private const long Interval = 25;
    private const long TicksPerSecond = 1000;

    /// <summary>A room on a clock of its own: a room-wide send per message, at once or when the wait says; a message that arrives before a waiting send goes with it.</summary>
    private sealed class Room(long interval)
    {
        public readonly RoomPace Pace = new(interval);
        private long _now = 1_000_000;
        private long _pendingSendAt = long.MinValue;

        /// <summary>Messages every <paramref name="gap"/> ms; returns each message's wait and the number of sends.</summary>
        public (List<long> Waits, int Sends) Play(long gap, int messages) => Play([gap], messages);

        /// <summary>Messages with the gaps given, over and over.</summary>
        public (List<long> Waits, int Sends) Play(long[] gaps, int messages)
        {
            var waits = new List<long>();
            var sends = 0;
            for (var i = 0; i < messages; _now += gaps[i % gaps.Length], i++)
            {
                Pace.Arrived(_now);
                if (_pendingSendAt >= _now)
                {
                    waits.Add(_pendingSendAt - _now); // joins the waiting send
                    continue;
                }
                if (_pendingSendAt != long.MinValue)
                {
                    Pace.Sent(_pendingSendAt); // the waiting send went (the pump calls Sent when it runs)
                    _pendingSendAt = long.MinValue;
                }
                var wait = Pace.Wait(_now);
                waits.Add(wait);
                sends++;
                if (wait == 0)
                    Pace.Sent(_now);
                else
                    _pendingSendAt = _now + wait;
            }
            return (waits, sends);
        }
    }

    [Fact]
    public void A_room_slower_than_one_message_per_interval_never_waits_not_even_in_its_bursts()
    {
        foreach (var gaps in new long[][] { [1000], [200], [30], [26], [25], [1, 1, 148] }) // the last: three at once, 50 ms apart on average
        {
            var (waits, sends) = new Room(Interval).Play(gaps, 300);
            Assert.All(waits, w => Assert.Equal(0, w));
            Assert.Equal(300, sends);
        }
    }

    [Fact]
    public void A_flooded_room_sends_once_per_interval_and_no_message_waits_longer_than_one()
    {
        var room = new Room(Interval);
        room.Play(5, 40); // the average learns the flood
        var (waits, sends) = room.Play(5, 1000); // 5 s at 200 messages/s
        Assert.InRange(sends, 195, 205); // one per 25 ms, not 1,000
        Assert.All(waits, w => Assert.InRange(w, 0, Interval));
    }

    [Fact]
    public void A_room_that_turns_into_a_flood_waits_at_most_one_interval_for_its_first_paced_send()
    {
        // While the average still learns the flood the sends are not paced and come far faster than
        // one per interval; the schedule must not run ahead with them (the first paced message would
        // wait for all of it).
        var room = new Room(Interval);
        room.Play(1000, 10);
        var (waits, sends) = room.Play(5, 200);
        Assert.All(waits, w => Assert.InRange(w, 0, Interval));
        Assert.Equal(0, waits[0]);
        Assert.Contains(waits, w => w > 0);
        Assert.InRange(sends, 40, 80); // ~1 s at one per 25 ms, plus the unpaced start
    }

    [Fact]
    public void With_an_interval_over_a_second_a_quiet_room_still_never_waits()
    {
        // Three at once every 12 s (the bursts of the first test, scaled): a quiet spell counts in
        // intervals, not in seconds, or every such room would look flooded.
        var (waits, sends) = new Room(2 * TicksPerSecond).Play([1, 1, 12 * TicksPerSecond], 30);
        Assert.All(waits, w => Assert.Equal(0, w));
        Assert.Equal(30, sends);
    }

    [Fact]
    public void Zero_turns_pacing_off()
    {
        var room = new Room(0);
        var (waits, sends) = room.Play(1, 500);
        Assert.False(room.Pace.Enabled);
        Assert.All(waits, w => Assert.Equal(0, w));
        Assert.Equal(500, sends);
    }
}

namespace ChatterWeb.Delivery;

/// <summary>
/// When a room may next send to its sockets (<see cref="RealtimeOptions.RoomSendInterval"/>). Only a
/// flooded room is paced: one whose messages come, on a moving average (a quarter weight on the
/// newest gap; a quiet spell counts as 40 intervals), less than an interval apart. A quieter room
/// never waits, not even in a burst (a wait there would join nothing).
/// <para>
/// A paced room keeps a cell-rate schedule: one room-wide send per interval, with one interval of
/// slack (two may go back to back; a late send does not push the next ones back). The schedule is
/// never more than two intervals ahead of now, so no message waits more than one interval: near one
/// message per interval a schedule run at its own rate never drains a delay it picked up, and while
/// the average is still learning a flood the unpaced sends would otherwise run it far ahead.
/// </para>
/// The hub does not wait either when a full message's worth (<see cref="RoomConnection.CoalesceBytes"/>)
/// is already queued, so a room's throughput is never held to one full message per interval.
/// Timestamps are <see cref="System.Diagnostics.Stopwatch"/> ticks (any clock in tests). Not thread-safe: the room's lock guards it.
/// </summary>
internal sealed class RoomPace
{
    private readonly long _interval;
    private long _due;         // when the next send would be due at one per interval
    private long _lastArrival;
    private long _gap;         // moving average of the gaps between messages

    public RoomPace(long interval)
    {
        _interval = interval;
        _gap = Quiet;
    }

    /// <summary>What a quiet spell counts as: 40 intervals (1 s at 25 ms), so a flood is recognised after about 13 messages.</summary>
    private long Quiet => 40 * _interval;

    /// <summary>False when the interval is zero: nothing is paced and the calls below do nothing.</summary>
    public bool Enabled => _interval > 0;

    /// <summary>A room-wide message was released to the room.</summary>
    public void Arrived(long now)
    {
        if (!Enabled)
            return;
        _gap += (Math.Min(now - _lastArrival, Quiet) - _gap) / 4;
        _lastArrival = now;
    }

    /// <summary>How long the next room-wide send should wait (0: send now).</summary>
    public long Wait(long now) => !Enabled || _gap >= _interval ? 0 : Math.Max(0, _due - _interval - now);

    /// <summary>A room-wide send started.</summary>
    public void Sent(long now)
    {
        if (Enabled)
            _due = Math.Min(Math.Max(_due, now) + _interval, now + 2 * _interval);
    }
}

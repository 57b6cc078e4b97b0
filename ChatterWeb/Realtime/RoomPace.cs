namespace ChatterWeb.Realtime;

/// <summary>
/// When a room may next send to its sockets (<see cref="RealtimeOptions.RoomSendInterval"/>). Only a
/// flooded room is paced: one whose messages come, on a moving average, less than an interval apart.
/// A quieter room never waits (a wait there would join nothing).
/// <para>
/// A paced room keeps a cell-rate schedule: one room-wide send per interval, with one interval of
/// slack (two may go back to back; a late send does not push the next ones back). The schedule is
/// never more than two intervals ahead of now, so no message waits more than one interval: near one
/// message per interval a schedule run at its own rate never drains a delay it picked up, and while
/// the average is still learning a flood the unpaced sends would otherwise run it far ahead.
/// </para>
/// Timestamps are <see cref="System.Diagnostics.Stopwatch"/> ticks (any clock in tests). Not thread-safe: the room's lock guards it.
/// </summary>
internal sealed class RoomPace(long interval, long ticksPerSecond)
{
    private readonly long _second = ticksPerSecond;
    private long _due;          // when the next send would be due at one per interval
    private long _lastArrival;
    private long _gap = ticksPerSecond; // moving average of the gaps between messages (a quiet spell counts as 1 s)

    public bool Enabled => interval > 0;

    /// <summary>A room-wide message was released to the room.</summary>
    public void Arrived(long now)
    {
        _gap += (Math.Min(now - _lastArrival, _second) - _gap) / 4;
        _lastArrival = now;
    }

    /// <summary>How long the next room-wide send should wait (0: send now).</summary>
    public long Wait(long now)
    {
        if (interval <= 0 || _gap >= interval)
            return 0;
        return Math.Max(0, _due - interval - now);
    }

    /// <summary>A room-wide send started.</summary>
    public void Sent(long now) => _due = Math.Min(Math.Max(_due, now) + interval, now + 2 * interval);
}

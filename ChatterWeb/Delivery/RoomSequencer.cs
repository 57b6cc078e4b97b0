namespace ChatterWeb.Delivery;

/// <summary>
/// One room's order on this instance: the only place that orders message frames by seq, drops the
/// ones already shown and knows which are still missing. Every message frame for the room passes
/// here, whether it was published on this instance, came from another one over the bus, or was read
/// back from the database to heal a gap.
/// <para>
/// Seq order is commit order, but two messages committed a moment apart can arrive in the other
/// order (each is published after its own commit; the bus keeps publish order, not seq order). A
/// frame that arrives ahead of a gap is held until the gap fills; if it does not within the
/// reorder window (the publish was lost), <see cref="Flush"/> releases what is held and remembers
/// the seqs passed over, so a heal from the database still brings each of them exactly once.
/// Anything already released is dropped (a heal racing the live frame). Seqs stored before this
/// instance listened to the room (<see cref="StartAfter"/>) belong to the sockets' own resume; one
/// of them arriving late is passed on, and the page drops it if it has it.
/// </para>
/// Not thread-safe: the room's lock guards it.
/// </summary>
internal sealed class RoomSequencer(Action<RoomFrame> release)
{
    /// <summary>Most seqs remembered as passed over; a wider gap is beyond a heal anyway (the pages reload).</summary>
    internal const int MaxSkipped = 10_000;

    private long _next;                      // the seq due next; 0 until the first frame or StartAfter
    private long _floor = long.MinValue;     // seqs at or below were stored before this instance listened
    private readonly SortedDictionary<long, RoomFrame> _held = [];
    private readonly SortedSet<long> _skipped = [];

    /// <summary>A frame waits for a gap to fill.</summary>
    public bool Holding => _held.Count > 0;

    /// <summary>The highest seq up to which every message was released (null: nothing known yet).</summary>
    public long? Watermark => _next == 0 ? null : (_skipped.Count > 0 ? _skipped.Min : _next) - 1;

    /// <summary>The room's stored LastSeq when this instance began to listen: everything after it is heard live (or healed).</summary>
    public void StartAfter(long storedLastSeq)
    {
        if (_next != 0)
            return; // a frame came first and set the order
        _next = storedLastSeq + 1;
        _floor = storedLastSeq;
    }

    /// <summary>A message frame (seq above 0): released now, held for a gap, or dropped as already shown.</summary>
    public void Accept(RoomFrame frame)
    {
        var seq = frame.Seq;
        if (_next == 0)
            (_next, _floor) = (seq, seq - 1);
        if (seq == _next)
        {
            release(frame);
            _next++;
            while (_held.Remove(_next, out var waiting))
            {
                release(waiting);
                _next++;
            }
        }
        else if (seq > _next)
        {
            _held.TryAdd(seq, frame);
        }
        else if (_skipped.Remove(seq) || seq <= _floor)
        {
            release(frame); // late: a gap healed, or stored before this instance listened
        }
        // else: already released
    }

    /// <summary>The gap did not fill in time: what is held goes out in order, and the missing seqs are remembered.</summary>
    public void Flush()
    {
        foreach (var (seq, frame) in _held)
        {
            if (seq - _next <= MaxSkipped)
            {
                for (var missing = _next; missing < seq; missing++)
                    _skipped.Add(missing);
            }
            release(frame);
            _next = seq + 1;
        }
        _held.Clear();
        while (_skipped.Count > MaxSkipped)
            _skipped.Remove(_skipped.Min);
    }
}

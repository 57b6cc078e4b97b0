namespace ChatterWeb.Bench.Measure;

/// <summary>
/// What one socket has seen of its room's seqs: a growable bit set, and the highest seq so far.
/// A seq seen twice is a duplicate; a seq below the highest is out of order. Used by one receive loop only.
/// </summary>
public sealed class SeqTracker
{
    private ulong[] _bits = new ulong[16];

    public long MaxSeq { get; private set; }

    /// <summary>
    /// This socket plays its person's visible tab: like read-marks.mjs it reports "read up to here" as
    /// messages arrive at the bottom, at most once per <see cref="ReadInterval"/> (the page's throttle).
    /// </summary>
    public bool VisibleTab { get; init; }

    public static readonly long ReadInterval = System.Diagnostics.Stopwatch.Frequency;

    private long _readSentAt = long.MinValue / 2;
    private long _readSent;

    /// <summary>The seq to report as read now, or 0 when nothing new or too soon.</summary>
    public long ReadDue(long now)
    {
        if (!VisibleTab || MaxSeq <= _readSent || now - _readSentAt < ReadInterval)
            return 0;
        _readSentAt = now;
        _readSent = MaxSeq;
        return MaxSeq;
    }

    public enum Outcome { InOrder, OutOfOrder, Duplicate }

    public Outcome See(long seq)
    {
        var word = (int)(seq >> 6);
        if (word >= _bits.Length)
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        var mask = 1UL << (int)(seq & 63);
        if ((_bits[word] & mask) != 0)
            return Outcome.Duplicate;
        _bits[word] |= mask;
        if (seq < MaxSeq)
            return Outcome.OutOfOrder;
        MaxSeq = seq;
        return Outcome.InOrder;
    }
}

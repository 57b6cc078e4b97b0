using System.Text;
using ChatterWeb.Delivery;

namespace ChatterWeb.Tests.Delivery;

/// <summary>
/// A room's one order (<see cref="RoomSequencer"/>): in seq order whatever order frames arrive in, a
/// gap held until it fills or is flushed, each seq released once whether it came live or from a heal.
/// </summary>
public class RoomSequencerTests
{
    private readonly List<long> _released = [];
    private readonly RoomSequencer _sequencer;

    public RoomSequencerTests() => _sequencer = new RoomSequencer(f => _released.Add(f.Seq));

    private static RoomFrame Frame(long seq) => new(7, seq, Encoding.UTF8.GetBytes($"<p>{seq}</p>"));

    private void Accept(params long[] seqs)
    {
        foreach (var seq in seqs)
            _sequencer.Accept(Frame(seq));
    }

    [Fact]
    public void Frames_are_released_in_seq_order_and_one_ahead_of_a_gap_waits_for_it()
    {
        Accept(1, 3, 4);
        Assert.Equal([1], _released);
        Assert.True(_sequencer.Holding);
        Assert.Equal(1, _sequencer.Watermark);

        Accept(2);
        Assert.Equal([1, 2, 3, 4], _released);
        Assert.False(_sequencer.Holding);
        Assert.Equal(4, _sequencer.Watermark);
    }

    [Fact]
    public void A_heal_releases_only_what_was_not_shown_and_a_late_live_frame_is_not_shown_twice()
    {
        Accept(1, 2);
        // 3 and 4 were lost on the way; the database has 1..4
        Accept(1, 2, 3, 4);
        Assert.Equal([1, 2, 3, 4], _released);
        Assert.Equal(4, _sequencer.Watermark);

        Accept(4, 5); // 4 arrives late, already shown by the heal
        Assert.Equal([1, 2, 3, 4, 5], _released);
    }

    [Fact]
    public void A_gap_that_never_fills_is_flushed_and_its_seqs_are_still_released_once_when_healed()
    {
        Accept(1, 4, 5);
        _sequencer.Flush(); // the reorder window ran out: 2 and 3 were lost
        Assert.Equal([1, 4, 5], _released);
        Assert.Equal(1, _sequencer.Watermark); // what the healer reads back from

        Accept(2, 3, 4, 5); // the heal from the database
        Assert.Equal([1, 4, 5, 2, 3], _released);
        Assert.Equal(5, _sequencer.Watermark);

        Accept(3); // again: already shown
        Assert.Equal([1, 4, 5, 2, 3], _released);
    }

    [Fact]
    public void Frames_stored_before_the_room_was_listened_to_pass_when_late_and_the_order_starts_after_them()
    {
        _sequencer.StartAfter(10);
        Assert.Equal(10, _sequencer.Watermark);
        Accept(9);  // committed before, published late: the page drops it if its resume brought it
        Accept(12); // 11 is missing: held
        Assert.Equal([9], _released);
        Accept(11);
        Assert.Equal([9, 11, 12], _released);
    }

    [Fact]
    public void Without_a_start_the_first_frame_sets_the_order()
    {
        Accept(40, 41, 39);
        Assert.Equal([40, 41, 39], _released); // 39 was stored before the first frame heard: late, passed on
        Assert.Equal(41, _sequencer.Watermark);
    }
}

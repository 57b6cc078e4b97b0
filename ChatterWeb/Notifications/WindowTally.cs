using ChatterWeb.Data;

namespace ChatterWeb.Notifications;

/// <summary>
/// Every member's unread count from one window of a room's messages, by <see cref="UnreadRule.Counts"/>,
/// without asking the rule of every message for every member (200 members and a window of 1,000 were
/// 200,000 rule calls per room, tens of milliseconds of one core per gathering of ten busy rooms).
/// A message of the room counts for everyone above their read position except its author, so a
/// member's count is the room's messages above the bound less their own: two binary searches.
/// Thread-only replies count only for the people in the thread: the rule is asked of those alone.
/// </summary>
internal sealed class WindowTally
{
    private readonly long _roomLastSeq;
    private readonly long[] _roomSeqs;
    private readonly Dictionary<string, long[]> _roomSeqsByAuthor;
    private readonly List<Message> _threadOnly;

    /// <param name="window">The room's undeleted messages above some floor (any order).</param>
    public WindowTally(IReadOnlyList<Message> window, long roomLastSeq)
    {
        _roomLastSeq = roomLastSeq;
        var room = new List<Message>(window.Count);
        _threadOnly = [];
        foreach (var m in window)
        {
            if (m.ParentSeq is null || m.AlsoInRoom)
                room.Add(m);
            else
                _threadOnly.Add(m);
        }
        _roomSeqs = [.. room.Select(m => m.Seq).Order()];
        _roomSeqsByAuthor = room.GroupBy(m => m.AuthorId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Seq).Order().ToArray(), StringComparer.Ordinal);
    }

    /// <summary>What <see cref="UnreadRule.CountsIn"/> counts in the window for this member.</summary>
    public int Count(long lastReadSeq, string userId)
    {
        var above = Math.Max(lastReadSeq, _roomLastSeq - UnreadRule.CountWindow);
        var count = Above(_roomSeqs, above);
        if (_roomSeqsByAuthor.TryGetValue(userId, out var own))
            count -= Above(own, above);
        foreach (var reply in _threadOnly)
        {
            if (UnreadRule.CountsIn(reply, lastReadSeq, _roomLastSeq, userId))
                count++;
        }
        return count;
    }

    /// <summary>How many of the ascending <paramref name="seqs"/> are greater than <paramref name="bound"/>.</summary>
    private static int Above(long[] seqs, long bound)
    {
        var i = Array.BinarySearch(seqs, bound);
        var firstAbove = i >= 0 ? i + 1 : ~i; // seqs are unique
        return seqs.Length - firstAbove;
    }
}

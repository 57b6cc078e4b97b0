using System.Globalization;
using System.Text;

namespace ChatterWeb.Messages;

/// <summary>
/// Resume replays changes, not only new messages. Every edit or delete takes the room's next change
/// number (<c>Room.LastChangeSeq</c>, stored on the message as <c>ChangeSeq</c>); a page tracks the
/// highest number up to which it has seen every change, and sends it with <c>resume</c> as
/// <c>afterChange</c>. The answer is each message changed since, as it is now (an out-of-band
/// replacement of <c>#m-{seq}</c>), then the change mark: the room's counter as read before the
/// query, so the page can skip numbers that a later change to the same message overwrote. A replay
/// that carries changes also carries the room's pin count (<see cref="PinCountMarkup"/>).
/// </summary>
public static class MessageReplay
{
    /// <summary>The replay frame, or null when more than <paramref name="limit"/> changed (the page reloads).</summary>
    public static async Task<byte[]?> ChangesAsync(MessageHistory history, long roomId, long afterChange, int limit, CancellationToken ct)
    {
        var mark = await history.LastChangeSeqAsync(roomId, ct);
        if (mark <= afterChange)
            return Mark(mark);
        var changed = await history.ChangedAfterAsync(roomId, afterChange, limit + 1, ct);
        if (changed.Count > limit)
            return null;
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var m in changed)
            MessageMarkup.WriteChange(sw, m);
        // The room's pin count as of the mark or later (read after it): a pin or unpin missed is counted.
        if (changed.Count > 0 && changed[0].RoomSlug.Length > 0)
            PinCountMarkup.Write(sw, changed[0].RoomSlug, await history.PinCountAsync(roomId, ct), mark, oob: true);
        sw.Write(MarkHtml(mark));
        return Encoding.UTF8.GetBytes(sw.ToString());
    }

    /// <summary>The page's change mark element (hidden; live-room.mjs reads it).</summary>
    public static string MarkHtml(long mark, bool oob = true) =>
        $"<div id=\"change-mark\"{(oob ? " hx-swap-oob=\"true\"" : "")} data-change=\"{mark.ToString(CultureInfo.InvariantCulture)}\" hidden></div>";

    private static byte[] Mark(long mark) => Encoding.UTF8.GetBytes(MarkHtml(mark));
}

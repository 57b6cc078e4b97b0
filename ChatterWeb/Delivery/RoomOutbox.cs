namespace ChatterWeb.Delivery;

/// <summary>
/// A room's frames on their way to its sockets on this instance: released frames are appended here
/// (the deliverer never walks the sockets itself, so a publish costs the publisher one append and
/// rooms fan out in parallel), and a pump on the thread pool hands them to every socket.
/// <para>
/// Batching comes from load, never from a clock: a frame that arrives while the room's sockets are
/// idle goes out as soon as the pump runs; frames that arrive while the pump is still sending (a
/// busy room, a busy machine) wait in the outbox and are joined ONCE into one buffer that every
/// socket sends as one WebSocket message, so the cost per delivery falls as the load rises. Every
/// method but the pump runs under the room's lock.
/// </para>
/// </summary>
internal sealed class RoomOutbox(RoomChannel room)
{
    private readonly List<Outgoing> _queue = [];
    private bool _pumping;

    /// <summary>Whether a pump is sending (a frame queued now goes behind what it has).</summary>
    public bool Pumping => _pumping;

    /// <summary>Appends the frame and starts the pump if it is not running (under the room's lock).</summary>
    public void Queue(Outgoing item)
    {
        _queue.Add(item);
        if (_pumping)
            return;
        _pumping = true;
        ThreadPool.UnsafeQueueUserWorkItem(static o => o.Pump(), this, preferLocal: false);
    }

    /// <summary>Hands what the outbox holds to the room's sockets, until it is empty.</summary>
    private void Pump()
    {
        List<Outgoing>? after = null;
        while (true)
        {
            Outgoing next;
            lock (room.Gate)
            {
                if (_queue.Count == 0)
                {
                    _pumping = false;
                    return;
                }
                next = TakeBatch(_queue, ref after);
            }
            if (next.Only is { } one)
            {
                one.TryEnqueue(next.Html);
                continue;
            }
            foreach (var connection in room.Connections)
                connection.TryEnqueue(next.Html);
            if (after is { Count: > 0 })
            {
                foreach (var single in after)
                    single.Only!.TryEnqueue(single.Html);
                after.Clear();
            }
        }
    }

    /// <summary>
    /// Removes the next batch from the outbox: a frame for one socket alone, or the room-wide frames
    /// in front joined into one buffer (up to <see cref="FrameJoiner.MaxBytes"/>). Frames for one
    /// socket among them (acknowledgements, errors, a replay) are moved to <paramref name="after"/>,
    /// sent right after the joined frame: an acknowledgement then still follows its message, and a
    /// later message simply comes first. Joining stops before room state (presence) that such a
    /// frame would otherwise follow.
    /// </summary>
    internal static Outgoing TakeBatch(List<Outgoing> outbox, ref List<Outgoing>? after)
    {
        var first = outbox[0];
        if (first.Only is not null)
        {
            outbox.RemoveAt(0);
            return first;
        }
        var taken = 1;
        var joined = 1;
        var bytes = first.Html.Length;
        var singles = 0;
        for (; taken < outbox.Count; taken++)
        {
            var item = outbox[taken];
            if (item.Only is not null)
            {
                singles++;
                continue;
            }
            if ((singles > 0 && !item.Message) || !FrameJoiner.Fits(bytes + item.Html.Length))
                break;
            bytes += item.Html.Length;
            joined++;
        }
        if (joined == 1)
        {
            outbox.RemoveAt(0); // nothing to join: the frames for one socket stay where they are
            return first;
        }
        // Frames for one socket at the end of the taken range would gain nothing by moving: leave them.
        while (outbox[taken - 1].Only is not null)
            taken--;
        var joiner = new FrameJoiner(new byte[bytes]);
        for (var i = 0; i < taken; i++)
        {
            var item = outbox[i];
            if (item.Only is not null)
                (after ??= []).Add(item);
            else
                joiner.Append(item.Html);
        }
        outbox.RemoveRange(0, taken);
        return new Outgoing(joiner.Joined, Message: true);
    }
}

namespace ChatterWeb.Delivery;

/// <summary>
/// One room on this instance while it has sockets here: the sockets (an immutable array, walked
/// without a lock), the bus lease, the room's <see cref="RoomSequencer"/> and <see cref="RoomOutbox"/>,
/// and the one lock they share. Frames enter through <see cref="Receive"/>: message frames in seq
/// order through the sequencer, room state (seq 0, presence and the like) straight to the outbox.
/// </summary>
internal sealed class RoomChannel
{
    /// <summary>How long a message waits for a missing lower seq before it is sent anyway.</summary>
    internal static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(250);

    private readonly RoomSequencer _sequencer;
    private readonly RoomOutbox _outbox;
    private SocketConnection[] _connections = [];
    private Timer? _flushTimer;

    public RoomChannel(long roomId)
    {
        RoomId = roomId;
        _outbox = new RoomOutbox(this);
        _sequencer = new RoomSequencer(frame => _outbox.Queue(new Outgoing(frame.Html, Message: true)));
    }

    public long RoomId { get; }

    /// <summary>Guards the sequencer, the outbox and <see cref="Closed"/>.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The room's last socket left (set under the lock, with the timers disposed): frames go nowhere and no timer is armed again.</summary>
    public bool Closed { get; private set; }

    /// <summary>The bus lease, held while the room has sockets here.</summary>
    public IDisposable? Lease { get; set; }

    /// <summary>Completes when frames published from now on reach this room (see <see cref="RoomSockets.Add"/>).</summary>
    public Task Ready { get; set; } = Task.CompletedTask;

    public SocketConnection[] Connections => Volatile.Read(ref _connections);

    /// <summary>Watermark and gap state for healing (see <see cref="RoomSequencer.Watermark"/>).</summary>
    public long? Watermark
    {
        get { lock (Gate) return _sequencer.Watermark; }
    }

    /// <summary>Adds or removes a socket (the caller holds the registry's lock); returns how many remain.</summary>
    public int Add(SocketConnection connection)
    {
        Volatile.Write(ref _connections, [.. _connections, connection]);
        return _connections.Length;
    }

    public int Remove(SocketConnection connection)
    {
        Volatile.Write(ref _connections, Array.FindAll(_connections, c => !ReferenceEquals(c, connection)));
        return _connections.Length;
    }

    /// <summary>Sets where the room's order starts: the stored LastSeq when this instance began to listen.</summary>
    public void StartAfter(long storedLastSeq)
    {
        lock (Gate)
            _sequencer.StartAfter(storedLastSeq);
    }

    /// <summary>A frame for the room, from the bus or a heal. Never waits for a client.</summary>
    public void Receive(RoomFrame frame)
    {
        lock (Gate)
        {
            if (Closed)
                return; // its last socket left after the lookup
            if (frame.Seq == 0)
            {
                _outbox.Queue(new Outgoing(frame.Html)); // room state: no order to keep
                return;
            }
            var wasHolding = _sequencer.Holding;
            _sequencer.Accept(frame);
            if (_sequencer.Holding == wasHolding)
                return;
            if (wasHolding)
            {
                _flushTimer?.Change(Timeout.Infinite, Timeout.Infinite);
            }
            else
            {
                _flushTimer ??= NewTimer(static c => ((RoomChannel)c!).FlushHeld(), this);
                _flushTimer.Change(ReorderWindow, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>
    /// Sends a frame to one socket after every room frame already released (an acknowledgement never
    /// overtakes the message it acknowledges, which the writer released first).
    /// </summary>
    public void SendAfterReleased(SocketConnection connection, ReadOnlyMemory<byte> frame)
    {
        lock (Gate)
        {
            if (_outbox.Pumping && !Closed)
            {
                _outbox.Queue(new Outgoing(frame, connection));
                return;
            }
        }
        connection.TryEnqueue(frame); // nothing released is still on its way
    }

    /// <summary>The room's last socket left: no frame or timer touches it again.</summary>
    public void Close()
    {
        Lease?.Dispose();
        lock (Gate)
        {
            Closed = true;
            _flushTimer?.Dispose();
            _flushTimer = null;
        }
    }

    /// <summary>The gap did not fill in time: what is held goes out, in order.</summary>
    private void FlushHeld()
    {
        lock (Gate)
        {
            if (!Closed)
                _sequencer.Flush();
        }
    }

    /// <summary>
    /// A timer created without the caller's execution context: the first caller is usually a socket's
    /// request, which the timer would otherwise keep (and run every callback in).
    /// </summary>
    internal static Timer NewTimer(TimerCallback callback, object state)
    {
        if (ExecutionContext.IsFlowSuppressed())
            return new Timer(callback, state, Timeout.Infinite, Timeout.Infinite);
        using (ExecutionContext.SuppressFlow())
            return new Timer(callback, state, Timeout.Infinite, Timeout.Infinite);
    }
}

using System.Buffers;
using System.Net.WebSockets;
using ChatterWeb.Metrics;

namespace ChatterWeb.Delivery;

/// <summary>
/// One open socket (in a room, or a page's own per-user socket), and the only way anything is written to it.
/// <para>
/// A frame for an idle socket is written at once, by the thread that delivers it: into Kestrel's
/// output pipe, which hands it to the transport (no queue, no thread-pool hop, no allocation). While
/// a send is still on its way (the socket's TCP buffer is full, the client reads slowly) frames wait
/// in a small bounded queue (frames and bytes), and the send's own continuation drains them, several
/// at a time as ONE WebSocket message. A broadcast therefore never awaits a client: a client that
/// stops reading fills its own queue and is closed with 1013 (htmx reconnects and resumes).
/// </para>
/// Sends pass no cancellation token (a cancelable one puts every send of <c>ManagedWebSocket</c> on
/// its slow path, and a token kept for receives costs a registration per waiting socket); a send or
/// receive stuck on a dead peer is ended by aborting the transport and the socket when the close
/// grace runs out. Most sockets are idle most of the time, so an idle connection holds as little as
/// it can: no queue array, no task, no timer, no cancellation source.
/// </summary>
public sealed class SocketConnection
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);

    private readonly WebSocket _socket;
    private readonly int _maxQueuedFrames;
    private readonly int _maxQueuedBytes;
    private readonly ChatterMetrics? _metrics;
    private readonly Action? _abortTransport;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Everything below is guarded by _gate.
    private readonly Lock _gate = new();
    private Queue<ReadOnlyMemory<byte>>? _queue; // frames waiting behind a send; created when first needed
    private int _queuedBytes;
    private bool _busy = true; // someone owns the send side (held from construction until RunWriterAsync's first drain lets go)
    private bool _closeRequested;
    private bool _flushBeforeClose;
    private bool _detached;
    private Timer? _closeTimer; // exists only once a close is requested
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    /// <param name="abortTransport">
    /// Tears the connection down underneath the socket (HttpContext.Abort): run when the close grace
    /// runs out, because a send blocked on a full TCP buffer does not yield otherwise.
    /// </param>
    public SocketConnection(WebSocket socket, long? roomId, string userId, string displayName, RealtimeOptions options, Action? abortTransport = null, ChatterMetrics? metrics = null)
    {
        _socket = socket;
        RoomId = roomId;
        UserId = userId;
        DisplayName = displayName;
        _maxQueuedFrames = options.SendQueueFrames;
        _maxQueuedBytes = options.SendQueueBytes;
        _metrics = metrics;
        _abortTransport = abortTransport;
    }

    /// <summary>The room this socket is open in; null for a page's per-user socket (<c>/me/ws</c>).</summary>
    public long? RoomId { get; }
    public string UserId { get; }
    public string DisplayName { get; }

    /// <summary>The close code this side asked for, once it has.</summary>
    public WebSocketCloseStatus? RequestedClose
    {
        get { lock (_gate) return _closeRequested ? _closeStatus : null; }
    }

    public int QueuedFrames
    {
        get { lock (_gate) return _queue?.Count ?? 0; }
    }

    /// <summary>
    /// Sends the frame now when the socket is idle, or queues it behind the send in progress; never
    /// waits. False (and the socket is being closed with 1013) when the queue is full, or when the
    /// socket is closing.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        lock (_gate)
        {
            if (_closeRequested)
                return false;
            if (_busy)
            {
                if ((_queue?.Count ?? 0) >= _maxQueuedFrames || _queuedBytes + frame.Length > _maxQueuedBytes)
                    return SlowConsumer();
                (_queue ??= new Queue<ReadOnlyMemory<byte>>()).Enqueue(frame);
                _queuedBytes += frame.Length;
                return true;
            }
            _busy = true; // idle: this thread sends it
        }
        SendNow(frame);
        return true;
    }

    private bool SlowConsumer()
    {
        if (RequestClose(CloseCodes.TryAgainLater, "slow consumer, reconnect", flush: false))
            _metrics?.SlowConsumerClosed();
        return false;
    }

    /// <summary>The caller owns the idle send side: the frame goes into the transport now; if it cannot complete at once, its continuation carries on.</summary>
    private void SendNow(ReadOnlyMemory<byte> frame)
    {
        ValueTask sending;
        try
        {
            sending = _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e)
        {
            sending = ValueTask.FromException(e); // the drain below ends the connection (never the deliverer's problem)
        }
        if (!sending.IsCompletedSuccessfully)
        {
            _ = DrainAsync(sending, frame.Length); // finishes (or fails) on the send's own continuation
            return;
        }
        _metrics?.FrameSent(frame.Length);
        lock (_gate)
        {
            if (_queue is not { Count: > 0 } && !_closeRequested)
            {
                _busy = false;
                return;
            }
        }
        // Frames arrived meanwhile (or a close): drained on the thread pool, not on the delivering thread.
        ThreadPool.UnsafeQueueUserWorkItem(static c => _ = c.DrainAsync(default, 0), this, preferLocal: false);
    }

    /// <summary>
    /// Closes with <paramref name="status"/> once what is queued has been sent (so the sender reads
    /// why), or at once, dropping the queue, when <paramref name="flush"/> is false (a slow consumer:
    /// the page resumes from the database). Nothing more is queued after this. A peer that does not
    /// take the close frame within a few seconds is aborted. Only the first request counts (true for it).
    /// </summary>
    public bool RequestClose(WebSocketCloseStatus status, string reason, bool flush = true)
    {
        bool startWriter;
        lock (_gate)
        {
            if (_closeRequested)
                return false;
            _closeRequested = true;
            _closeStatus = status;
            _closeReason = reason;
            _flushBeforeClose = flush;
            if (!flush)
            {
                _queue = null;
                _queuedBytes = 0;
            }
            // An idle socket is woken to send the close frame; a busy (or not yet started) one sends it when done.
            startWriter = !_busy;
            if (startWriter)
                _busy = true;
            if (!_detached)
                _closeTimer = new Timer(static c => ((SocketConnection)c!).GraceRanOut(), this, CloseGrace, Timeout.InfiniteTimeSpan);
        }
        if (startWriter)
            ThreadPool.UnsafeQueueUserWorkItem(static c => _ = c.DrainAsync(default, 0), this, preferLocal: false);
        return true;
    }

    /// <summary>
    /// The peer did not take the close in time (or a send or receive is stuck): the transport is torn
    /// down first (never blocks), then the socket, which ends its pending receive and send.
    /// </summary>
    private void GraceRanOut()
    {
        lock (_gate)
        {
            if (_detached)
                return;
            _abortTransport?.Invoke();
        }
        _socket.Abort();
    }

    /// <summary>
    /// The request is over: the transport must not be touched again (the grace timer may still be
    /// pending). Waits for an abort already running.
    /// </summary>
    public void Detach()
    {
        lock (_gate)
        {
            _detached = true;
            _closeTimer?.Dispose();
        }
    }

    /// <summary>
    /// Starts the send side (frames that arrived before are sent now). The task completes when the
    /// socket's send side is finished: the close frame sent after a close request, or the socket failed.
    /// </summary>
    public Task RunWriterAsync()
    {
        _ = DrainAsync(default, 0); // takes over the send side held since construction
        return _done.Task;
    }

    /// <summary>
    /// Owns the send side (the caller set <c>_busy</c>): finishes <paramref name="sending"/>, then sends
    /// what queued up meanwhile, several frames at a time, until the queue is empty (the socket is idle
    /// again) or a close is due (then the close frame goes, and the connection is finished).
    /// </summary>
    private async Task DrainAsync(ValueTask sending, int sendingBytes)
    {
        byte[]? coalesced = null;
        try
        {
            await sending;
            if (sendingBytes > 0)
                _metrics?.FrameSent(sendingBytes);
            while (true)
            {
                ReadOnlyMemory<byte> next;
                lock (_gate)
                {
                    if (_queue is not { Count: > 0 } queue)
                    {
                        if (_closeRequested)
                            break;
                        if (_queue is { } empty && empty.EnsureCapacity(0) > 4)
                            _queue = null; // idle again after a burst: give the array back
                        _busy = false;
                        return;
                    }
                    next = Take(queue, ref coalesced);
                }
                await _socket.SendAsync(next, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                _metrics?.FrameSent(next.Length);
                if (coalesced is not null)
                {
                    ArrayPool<byte>.Shared.Return(coalesced);
                    coalesced = null;
                }
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, CancellationToken.None); // the grace timer ends a peer that never takes it
        }
        catch (Exception)
        {
            // The peer is gone or would not take the close frame in time (anything else would be a
            // bug, and still must not leave the session waiting for a writer that stopped).
            _socket.Abort();
        }
        finally
        {
            if (coalesced is not null)
                ArrayPool<byte>.Shared.Return(coalesced);
        }
        RequestClose(WebSocketCloseStatus.NormalClosure, "");
        lock (_gate)
            _queue = null;
        _done.TrySetResult();
    }

    /// <summary>
    /// The next message: the first waiting frame alone, or it and the frames behind it joined into
    /// one pooled buffer (<see cref="FrameJoiner"/>).
    /// </summary>
    private ReadOnlyMemory<byte> Take(Queue<ReadOnlyMemory<byte>> queue, ref byte[]? coalesced)
    {
        var first = queue.Dequeue();
        _queuedBytes -= first.Length;
        if (!queue.TryPeek(out var second) || !FrameJoiner.Fits(first.Length + second.Length))
            return first;
        coalesced = ArrayPool<byte>.Shared.Rent(FrameJoiner.MaxBytes);
        var joiner = new FrameJoiner(coalesced);
        joiner.Append(first);
        while (queue.TryPeek(out var next) && joiner.TryAppend(next))
        {
            queue.Dequeue();
            _queuedBytes -= next.Length;
        }
        return joiner.Joined;
    }
}

using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Tasks.Sources;
using ChatterWeb.Metrics;

namespace ChatterWeb.Realtime;

/// <summary>
/// One open socket in one room. Frames go through a bounded queue (frames and bytes) drained by
/// a single writer, so a broadcast never awaits a client: a client that stops reading fills its
/// own queue and is closed with 1013 (htmx reconnects and resumes).
/// </summary>
/// <remarks>
/// Most sockets are idle most of the time, so an idle connection holds as little as it can: the
/// queue is a plain <see cref="Queue{T}"/> under its own lock (empty: no array), the writer waits
/// on this object itself (<see cref="IValueTaskSource{TResult}"/>), and nothing of the close (the
/// grace timer) exists before a close is requested; receives and sends take no cancellation token
/// (no registration per socket): the grace timer aborts the socket and the transport instead.
/// </remarks>
public sealed class RoomConnection : IValueTaskSource<bool>
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);

    private readonly WebSocket _socket;
    private readonly Queue<ReadOnlyMemory<byte>> _queue = new(); // also the lock for everything below
    private readonly int _maxQueuedFrames;
    private readonly int _maxQueuedBytes;
    private readonly ChatterMetrics? _metrics;
    private readonly Action? _abortTransport;
    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };
    private bool _writerWaiting;
    private long _queuedBytes;
    private int _closeRequested;
    private bool _flushBeforeClose;
    private bool _detached;
    private Timer? _grace;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    /// <param name="abortTransport">
    /// Tears the connection down underneath the socket (HttpContext.Abort): run when the close grace
    /// runs out, because a send blocked on a full TCP buffer does not always yield to an abort of the socket.
    /// </param>
    public RoomConnection(WebSocket socket, long roomId, string userId, string displayName, RealtimeOptions options, Action? abortTransport = null, ChatterMetrics? metrics = null)
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

    public long RoomId { get; }
    public string UserId { get; }
    public string DisplayName { get; }

    /// <summary>The close code this side asked for, once it has.</summary>
    public WebSocketCloseStatus? RequestedClose => Volatile.Read(ref _closeRequested) == 1 ? _closeStatus : null;

    public int QueuedFrames
    {
        get
        {
            lock (_queue)
                return _queue.Count;
        }
    }

    /// <summary>Queues a frame without waiting. False (and the socket is being closed with 1013) when the queue is full.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        bool wake;
        lock (_queue)
        {
            if (_closeRequested == 1)
                return false;
            var full = _queue.Count >= _maxQueuedFrames || _queuedBytes + frame.Length > _maxQueuedBytes;
            if (!full)
            {
                _queue.Enqueue(frame);
                _queuedBytes += frame.Length;
                wake = _writerWaiting;
                _writerWaiting = false;
                goto queued;
            }
        }
        if (RequestClose(CloseCodes.TryAgainLater, "slow consumer, reconnect", flush: false))
            _metrics?.SlowConsumerClosed();
        return false;

    queued:
        if (wake)
            _signal.SetResult(true);
        return true;
    }

    /// <summary>
    /// Closes with <paramref name="status"/> once what is queued has been sent (so the sender reads
    /// why), or at once, dropping the queue, when <paramref name="flush"/> is false (a slow consumer:
    /// the page resumes from the database). Nothing more is queued after this. A peer that does not
    /// take the close frame within a few seconds is aborted. Only the first request counts (true for it).
    /// </summary>
    public bool RequestClose(WebSocketCloseStatus status, string reason, bool flush = true)
    {
        bool wake;
        lock (_queue)
        {
            if (_closeRequested == 1)
                return false;
            _closeStatus = status;
            _closeReason = reason;
            _flushBeforeClose = flush;
            Volatile.Write(ref _closeRequested, 1);
            if (!_detached)
                _grace = new Timer(static state => ((RoomConnection)state!).GraceExpired(), this, CloseGrace, Timeout.InfiniteTimeSpan);
            wake = _writerWaiting;
            _writerWaiting = false;
        }
        if (wake)
            _signal.SetResult(true);
        return true;
    }

    /// <summary>
    /// The peer did not take the close in time (or a send or receive is stuck): the transport is
    /// torn down first (never blocks), then the socket, which ends its pending receive and send.
    /// </summary>
    private void GraceExpired()
    {
        lock (_queue)
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
        lock (_queue)
        {
            _detached = true;
            _grace?.Dispose();
        }
    }

    /// <summary>True when frames are waiting; false once a close was requested and (when flushing) all were taken.</summary>
    private ValueTask<bool> WaitToReadAsync()
    {
        lock (_queue)
        {
            if (_queue.Count > 0 && (_closeRequested == 0 || _flushBeforeClose))
                return new(true);
            if (_closeRequested == 1)
                return new(false);
            _signal.Reset();
            _writerWaiting = true;
            return new(this, _signal.Version);
        }
    }

    private bool TryRead(out ReadOnlyMemory<byte> frame, int fitting = int.MaxValue)
    {
        lock (_queue)
        {
            if ((_closeRequested == 1 && !_flushBeforeClose) || !_queue.TryPeek(out frame) || frame.Length > fitting)
            {
                frame = default;
                return false;
            }
            _queue.Dequeue();
            _queuedBytes -= frame.Length;
            if (_queue.Count == 0 && _queue.EnsureCapacity(0) > 4)
                _queue.TrimExcess(); // back to idle: give the array back
            return true;
        }
    }

    private bool HasNext(int fitting)
    {
        lock (_queue)
            return _queue.TryPeek(out var next) && next.Length <= fitting;
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _signal.GetResult(token);
    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _signal.GetStatus(token);
    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);

    /// <summary>Most bytes gathered into one WebSocket message when several frames are waiting.</summary>
    internal const int CoalesceBytes = 64 * 1024;

    /// <summary>
    /// The single writer: drains the queue until a close is requested or the socket fails. When
    /// several frames are waiting (a busy room, a socket that fell a little behind) they leave as
    /// ONE WebSocket message: every frame is a complete top-level element with its own
    /// <c>hx-swap-oob</c>, and htmx-ext-ws swaps every top-level element of a message, so the page
    /// sees the same swaps in the same order for one send (and one syscall) instead of many.
    /// </summary>
    public async Task RunWriterAsync()
    {
        try
        {
            // Ends when a close is requested and (if flushing) everything queued is sent.
            while (await WaitToReadAsync())
            {
                while (TryRead(out var frame))
                {
                    if (HasNext(CoalesceBytes - frame.Length))
                        await SendCoalescedAsync(frame);
                    else
                        await SendAsync(frame);
                }
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            _socket.Abort(); // the peer is gone or would not take the close frame in time
        }
        finally
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, "");
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> message)
    {
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        _metrics?.FrameSent(message.Length);
    }

    /// <summary>Copies <paramref name="first"/> and the frames queued behind it (up to <see cref="CoalesceBytes"/>) into one pooled buffer, and sends that.</summary>
    private async ValueTask SendCoalescedAsync(ReadOnlyMemory<byte> first)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CoalesceBytes);
        try
        {
            first.CopyTo(buffer);
            var used = first.Length;
            while (TryRead(out var next, fitting: CoalesceBytes - used))
            {
                next.CopyTo(buffer.AsMemory(used));
                used += next.Length;
            }
            await SendAsync(buffer.AsMemory(0, used));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

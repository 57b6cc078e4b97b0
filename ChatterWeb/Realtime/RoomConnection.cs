using System.Net.WebSockets;
using System.Threading.Channels;

namespace ChatterWeb.Realtime;

/// <summary>
/// One open socket in one room. Frames go through a bounded queue (frames and bytes) drained by
/// a single writer, so a broadcast never awaits a client: a client that stops reading fills its
/// own queue and is closed with 1013 (htmx reconnects and resumes).
/// </summary>
public sealed class RoomConnection
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(3);

    private readonly WebSocket _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _queue;
    private readonly int _maxQueuedBytes;
    private readonly CancellationTokenSource _abort = new();
    // Its own timer: the socket's own cancellation callbacks (on _abort) can block behind a send
    // stuck on a full TCP buffer, so the transport abort must not queue behind them.
    private readonly CancellationTokenSource _killTransport = new();
    private readonly CancellationTokenRegistration _abortTransport;
    private long _queuedBytes;
    private int _closeRequested;
    private bool _flushBeforeClose;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    /// <param name="abortTransport">
    /// Tears the connection down underneath the socket (HttpContext.Abort): run when the close grace
    /// runs out, because a send blocked on a full TCP buffer does not always yield to cancellation.
    /// </param>
    public RoomConnection(WebSocket socket, long roomId, string userId, string displayName, RealtimeOptions options, Action? abortTransport = null)
    {
        _socket = socket;
        RoomId = roomId;
        UserId = userId;
        DisplayName = displayName;
        _maxQueuedBytes = options.SendQueueBytes;
        Aborted = _abort.Token;
        if (abortTransport is not null)
            _abortTransport = _killTransport.Token.Register(abortTransport);
        _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(options.SendQueueFrames)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: we close instead of waiting
        });
    }

    public long RoomId { get; }
    public string UserId { get; }
    public string DisplayName { get; }

    /// <summary>The close code this side asked for, once it has.</summary>
    public WebSocketCloseStatus? RequestedClose => Volatile.Read(ref _closeRequested) == 1 ? _closeStatus : null;

    public int QueuedFrames => _queue.Reader.Count;

    /// <summary>Cancelled a few seconds after a close is requested: ends a receive the peer never completes.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>Queues a frame without waiting. False (and the socket is being closed with 1013) when the queue is full.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        if (Volatile.Read(ref _closeRequested) == 1)
            return false;
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _maxQueuedBytes || !_queue.Writer.TryWrite(frame))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            RequestClose(CloseCodes.TryAgainLater, "slow consumer, reconnect", flush: false);
            return false;
        }
        return true;
    }

    /// <summary>
    /// Closes with <paramref name="status"/> once what is queued has been sent (so the sender reads
    /// why), or at once, dropping the queue, when <paramref name="flush"/> is false (a slow consumer:
    /// the page resumes from the database). Nothing more is queued after this. A peer that does not
    /// take the close frame within a few seconds is aborted. Only the first request counts.
    /// </summary>
    public void RequestClose(WebSocketCloseStatus status, string reason, bool flush = true)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
            return;
        _closeStatus = status;
        _closeReason = reason;
        _flushBeforeClose = flush;
        _queue.Writer.TryComplete();
        _killTransport.CancelAfter(CloseGrace);
        _abort.CancelAfter(CloseGrace);
    }

    /// <summary>
    /// The request is over: the transport must not be touched again (the grace timer may still be
    /// pending). Waits for an abort already running.
    /// </summary>
    public void Detach()
    {
        _abortTransport.Dispose();
    }

    /// <summary>The single writer: drains the queue until a close is requested or the socket fails.</summary>
    public async Task RunWriterAsync()
    {
        try
        {
            var reader = _queue.Reader;
            // Completes when a close is requested and (if flushing) everything queued is sent.
            while (await reader.WaitToReadAsync(_abort.Token))
            {
                while (reader.TryRead(out var frame))
                {
                    if (Volatile.Read(ref _closeRequested) == 1 && !_flushBeforeClose)
                        break;
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
                }
                if (Volatile.Read(ref _closeRequested) == 1 && !_flushBeforeClose)
                    break;
            }
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(_closeStatus, _closeReason, _abort.Token);
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
}

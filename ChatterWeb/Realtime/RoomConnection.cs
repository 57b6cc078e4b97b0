using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using ChatterWeb.Metrics;

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
    private readonly ChatterMetrics? _metrics;
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
    public RoomConnection(WebSocket socket, long roomId, string userId, string displayName, RealtimeOptions options, Action? abortTransport = null, ChatterMetrics? metrics = null)
    {
        _socket = socket;
        RoomId = roomId;
        UserId = userId;
        DisplayName = displayName;
        _maxQueuedBytes = options.SendQueueBytes;
        _metrics = metrics;
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
            if (RequestClose(CloseCodes.TryAgainLater, "slow consumer, reconnect", flush: false))
                _metrics?.SlowConsumerClosed();
            return false;
        }
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
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
            return false;
        _closeStatus = status;
        _closeReason = reason;
        _flushBeforeClose = flush;
        _queue.Writer.TryComplete();
        _killTransport.CancelAfter(CloseGrace);
        _abort.CancelAfter(CloseGrace);
        return true;
    }

    /// <summary>
    /// The request is over: the transport must not be touched again (the grace timer may still be
    /// pending). Waits for an abort already running.
    /// </summary>
    public void Detach()
    {
        _abortTransport.Dispose();
    }

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
            var reader = _queue.Reader;
            // Completes when a close is requested and (if flushing) everything queued is sent.
            while (await reader.WaitToReadAsync(_abort.Token))
            {
                while (reader.TryRead(out var frame))
                {
                    if (Volatile.Read(ref _closeRequested) == 1 && !_flushBeforeClose)
                        break;
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    if (reader.TryPeek(out var next) && frame.Length + next.Length <= CoalesceBytes)
                        await SendCoalescedAsync(reader, frame);
                    else
                        await SendAsync(frame);
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

    private async ValueTask SendAsync(ReadOnlyMemory<byte> message)
    {
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _abort.Token);
        _metrics?.FrameSent(message.Length);
    }

    /// <summary>Copies <paramref name="first"/> and the frames queued behind it (up to <see cref="CoalesceBytes"/>) into one pooled buffer, and sends that.</summary>
    private async ValueTask SendCoalescedAsync(ChannelReader<ReadOnlyMemory<byte>> reader, ReadOnlyMemory<byte> first)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CoalesceBytes);
        try
        {
            first.CopyTo(buffer);
            var used = first.Length;
            while (reader.TryPeek(out var next) && used + next.Length <= CoalesceBytes && reader.TryRead(out next))
            {
                Interlocked.Add(ref _queuedBytes, -next.Length);
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

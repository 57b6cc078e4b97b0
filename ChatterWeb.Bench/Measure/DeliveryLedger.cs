using System.Diagnostics;
using System.Net.WebSockets;
using ChatterWeb.Bench.Client;

namespace ChatterWeb.Bench.Measure;

/// <summary>
/// The books of one fanout step: which bench messages (ids <c>FirstId..FirstId+Count-1</c>) reached how
/// many sockets, how late, and what went wrong (duplicates and out-of-order seqs per socket, error
/// fragments, closed sockets). It is the <see cref="IFrameSink"/> of every member socket while the step
/// runs; a socket's <see cref="SeqTracker"/> lives in <see cref="BenchSocket.State"/> across steps.
/// Message <c>id</c> belongs to room <c>id % rooms</c>; socket <c>i</c> sits in room <c>i / members</c>
/// and on instance <c>i % instances</c>.
/// </summary>
public sealed class DeliveryLedger(long firstId, int count, long startedAt, int rooms, int members, int instances = 1) : IFrameSink
{
    private readonly int[] _received = new int[count];
    private readonly long[] _perSecond = new long[4096];
    private long _delivered, _duplicates, _outOfOrder, _stale, _acks, _errors, _closed, _misrouted, _lastReceivedAt;
    private string? _firstError;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, long> _unacked = new();

    public LatencyRecorder Latency { get; } = new();

    /// <summary>With several instances: deliveries to a socket on the sender's instance (no Redis hop)...</summary>
    public LatencyRecorder SameInstance { get; } = new();

    /// <summary>...and to a socket on another instance (the message crossed Redis).</summary>
    public LatencyRecorder CrossInstance { get; } = new();

    /// <summary>Scheduled send time to the sender's acknowledgement (the message is stored and published).</summary>
    public LatencyRecorder AckLatency { get; } = new();

    /// <summary>Remembers when a send was due, to time its acknowledgement.</summary>
    public void Sent(Guid clientMessageId, long dueAt) => _unacked[clientMessageId] = dueAt;
    public long FirstId => firstId;
    public int Count => count;
    public long StartedAt => startedAt;

    public long Delivered => Interlocked.Read(ref _delivered);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    /// <summary>Deliveries of bench messages that belong to another step (late arrivals from before).</summary>
    public long Stale => Interlocked.Read(ref _stale);

    /// <summary>Bench messages that reached a socket of another room (a broken room isolation).</summary>
    public long Misrouted => Interlocked.Read(ref _misrouted);

    public long Acks => Interlocked.Read(ref _acks);
    public long Errors => Interlocked.Read(ref _errors);
    public string? FirstError => Volatile.Read(ref _firstError);
    public long SocketsClosed => Interlocked.Read(ref _closed);
    public long LastReceivedAt => Interlocked.Read(ref _lastReceivedAt);

    public void OnFrame(BenchSocket socket, ReadOnlySpan<byte> frame, long receivedAt)
    {
        var contents = Wire.Read(frame);
        if (contents.Messages)
        {
            var tracker = (SeqTracker)socket.State!;
            var rest = frame;
            while (Wire.NextMessage(ref rest, out var seq, out var body))
            {
                var outcome = tracker.See(seq);
                if (outcome == SeqTracker.Outcome.Duplicate)
                {
                    Interlocked.Increment(ref _duplicates);
                    continue;
                }
                if (outcome == SeqTracker.Outcome.OutOfOrder)
                    Interlocked.Increment(ref _outOfOrder);
                if (!Wire.TryParseBody(body, out var sentAt, out var id))
                    continue; // someone else's message
                var index = id - firstId;
                if (index < 0 || index >= count)
                {
                    Interlocked.Increment(ref _stale);
                    continue;
                }
                if (id % rooms != socket.Index / members)
                {
                    Interlocked.Increment(ref _misrouted);
                    continue;
                }
                Interlocked.Increment(ref _received[index]);
                Interlocked.Increment(ref _delivered);
                Latency.RecordStopwatchTicks(receivedAt - sentAt);
                if (instances > 1 && Wire.TryParseSender(body, out var sender))
                    (sender % instances == socket.Index % instances ? SameInstance : CrossInstance).RecordStopwatchTicks(receivedAt - sentAt);
                var second = (int)((receivedAt - startedAt) / Stopwatch.Frequency);
                if (second >= 0 && second < _perSecond.Length)
                    Interlocked.Increment(ref _perSecond[second]);
            }
            if (receivedAt > Interlocked.Read(ref _lastReceivedAt))
                Interlocked.Exchange(ref _lastReceivedAt, receivedAt); // close enough: only used for the end of the step
            if (tracker.ReadDue(receivedAt) is var read and > 0)
                socket.Send(Wire.ReadFrame(read));
        }
        if (contents.Acks > 0)
        {
            var rest = frame;
            while (Wire.NextAck(ref rest, out var acked))
            {
                if (_unacked.TryRemove(acked, out var dueAt))
                    AckLatency.RecordStopwatchTicks(receivedAt - dueAt);
                Interlocked.Increment(ref _acks);
            }
        }
        if (contents.Errors > 0)
        {
            Interlocked.Add(ref _errors, contents.Errors);
            if (Volatile.Read(ref _firstError) is null)
                Interlocked.CompareExchange(ref _firstError, Wire.FirstErrorText(frame), null);
        }
    }

    /// <summary>
    /// The answer to a send that did not go over a socket (an incoming webhook's POST): a success counts as
    /// its acknowledgement (stored and published), anything else as an error.
    /// </summary>
    public void Answered(Guid clientMessageId, long receivedAt, string? error)
    {
        if (error is null)
        {
            if (_unacked.TryRemove(clientMessageId, out var dueAt))
                AckLatency.RecordStopwatchTicks(receivedAt - dueAt);
            Interlocked.Increment(ref _acks);
            return;
        }
        _unacked.TryRemove(clientMessageId, out _);
        Interlocked.Increment(ref _errors);
        Interlocked.CompareExchange(ref _firstError, error, null);
    }

    public void OnClosed(BenchSocket socket, WebSocketCloseStatus? status, Exception? error)
    {
        if (Interlocked.Increment(ref _closed) <= 10)
            Console.Error.WriteLine($"socket {socket.Index} closed during the run: {status?.ToString() ?? "no close frame"} {error?.Message}");
    }

    /// <summary>Deliveries each bench message got (index = id - FirstId).</summary>
    public int ReceivedBy(int index) => Volatile.Read(ref _received[index]);

    /// <summary>Deliveries per whole second since <see cref="StartedAt"/>, up to <paramref name="seconds"/>.</summary>
    public long[] PerSecond(int seconds) => _perSecond[..Math.Min(seconds, _perSecond.Length)];
}

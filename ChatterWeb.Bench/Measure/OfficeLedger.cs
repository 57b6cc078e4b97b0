using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using ChatterWeb.Bench.Client;

namespace ChatterWeb.Bench.Measure;

/// <summary>
/// The books of a run where tabs come and go (the office day). Message <c>id</c> belongs to room
/// <c>roomOf[id]</c>; socket <c>i</c> is tab <c>i</c>, in room <see cref="TabState.Room"/>. A tab is
/// in its room's books from <see cref="Join"/> (called once the answer to its resume has arrived, so
/// the server has it in the room) to <see cref="Leave"/>; every message sent meanwhile is expected on
/// it exactly once and in seq order. Messages sent outside that window may arrive (a page's resume
/// answer and its live copy overlap, and the page drops the copy): they are counted, not checked.
/// A message in another room's socket is misrouted. Ids are sent in order, one at a time.
/// </summary>
public sealed class OfficeLedger(int[] roomOf, bool[] measured, int tabs, int rooms) : IFrameSink
{
    /// <summary>Stopwatch time the measured part starts: deliveries per second count from here.</summary>
    public long MeasuredFrom { get; set; }

    public sealed class TabState
    {
        public int Room { get; init; }
        public required SeqTracker Seqs { get; init; }
        internal long FirstId = long.MaxValue;
        internal long EndId = long.MaxValue;
        internal long Expected;
        internal long Received;
        internal long PendingAcks;
        internal volatile bool ClosingOnPurpose;
        internal readonly TaskCompletionSource Resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        internal readonly TaskCompletionSource CaughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Joined => Volatile.Read(ref FirstId) != long.MaxValue;
        public bool Left => Volatile.Read(ref EndId) != long.MaxValue;
    }

    private readonly TabState?[] _tabs = new TabState?[tabs];
    private readonly List<TabState>[] _inRoom = [.. Enumerable.Range(0, rooms).Select(_ => new List<TabState>())];
    private readonly Lock _gate = new();
    private readonly long[] _perSecond = new long[4096];
    private readonly ConcurrentDictionary<Guid, long> _unacked = new();
    private long _nextId, _expected, _delivered, _measuredDelivered, _duplicates, _outOfOrder, _misrouted, _outside, _overlap;
    private long _acks, _errors, _closed, _skipped, _stale, _reads, _presence, _presenceBytes, _typing, _badges, _notify, _directLists, _lastReceivedAt;
    private string? _firstError;
    private readonly ConcurrentQueue<string> _anomalies = new();

    public LatencyRecorder Latency { get; } = new();
    public LatencyRecorder AckLatency { get; } = new();

    /// <summary>Sets up tab <paramref name="tab"/>'s books before its socket opens.</summary>
    public TabState Track(int tab, int room, bool visible) => _tabs[tab] = new TabState { Room = room, Seqs = new SeqTracker { VisibleTab = visible } };

    /// <summary>Tab <paramref name="tab"/>'s books, or null before it is tracked.</summary>
    public TabState? this[int tab] => _tabs[tab];

    /// <summary>Completes once the answer to the tab's resume (its change mark) has arrived.</summary>
    public Task Resumed(int tab) => _tabs[tab]!.Resumed.Task;

    public void Join(int tab)
    {
        var state = _tabs[tab]!;
        lock (_gate)
        {
            state.FirstId = _nextId;
            _inRoom[state.Room].Add(state);
        }
    }

    /// <summary>Takes the tab out of its room's books; the task completes once it has every message it was owed and the answer to every message it sent.</summary>
    public Task Leave(int tab)
    {
        var state = _tabs[tab]!;
        lock (_gate)
        {
            state.EndId = _nextId;
            _inRoom[state.Room].Remove(state);
        }
        CheckCaughtUp(state);
        return state.CaughtUp.Task;
    }

    /// <summary>Message <paramref name="id"/> is about to go out from <paramref name="fromTab"/>: every tab in its room now is owed it. Returns how many.</summary>
    public int Sent(long id, int fromTab, Guid clientMessageId, long dueAt)
    {
        Interlocked.Increment(ref _tabs[fromTab]!.PendingAcks);
        if (measured[id])
            _unacked[clientMessageId] = dueAt; // to time its acknowledgement
        lock (_gate)
        {
            var members = _inRoom[roomOf[id]];
            foreach (var state in members)
                state.Expected++;
            _expected += members.Count;
            _nextId = id + 1;
            return members.Count;
        }
    }

    /// <summary>Message <paramref name="id"/> is not sent (its tab was not open yet).</summary>
    public void Skipped(long id)
    {
        lock (_gate)
            _nextId = id + 1;
        Interlocked.Increment(ref _skipped);
    }

    public void ReadSent() => Interlocked.Increment(ref _reads);

    public long Expected { get { lock (_gate) return _expected; } }
    public long Delivered => Interlocked.Read(ref _delivered);
    public long MeasuredDelivered => Interlocked.Read(ref _measuredDelivered);
    public long Lost => Math.Max(0, Expected - Delivered);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);
    public long Misrouted => Interlocked.Read(ref _misrouted);
    public long OutsideWindow => Interlocked.Read(ref _outside);
    public long ResumeOverlap => Interlocked.Read(ref _overlap);
    public long Stale => Interlocked.Read(ref _stale);
    public long Acks => Interlocked.Read(ref _acks);
    public long Errors => Interlocked.Read(ref _errors);
    public string? FirstError => Volatile.Read(ref _firstError);
    public long ClosedByServer => Interlocked.Read(ref _closed);
    public long SkippedSends => Interlocked.Read(ref _skipped);
    public long ReadsSent => Interlocked.Read(ref _reads);
    public long LastReceivedAt => Interlocked.Read(ref _lastReceivedAt);

    /// <summary>Bytes of the frames that carried the people list or its changes (who arrived, who left).</summary>
    public long PresenceBytes => Interlocked.Read(ref _presenceBytes);

    /// <summary>The first few duplicates and out-of-order deliveries, with the tab's window, to look into.</summary>
    public IReadOnlyList<string> Anomalies => [.. _anomalies];

    /// <summary>Tabs that did not get every message they were owed: tab, room, owed, got, whether it had left.</summary>
    public List<(int Tab, int Room, long Owed, long Got, bool Left)> Shortfalls() =>
        [.. _tabs.Select((t, i) => (t, i)).Where(x => x.t is not null && Interlocked.Read(ref x.t.Received) < Volatile.Read(ref x.t.Expected))
            .Select(x => (x.i, x.t!.Room, Volatile.Read(ref x.t.Expected), Interlocked.Read(ref x.t.Received), x.t.Left))];

    /// <summary>Frames seen of each other kind: presence lists, typing signals, unread badges, notification signals, direct lists.</summary>
    public (long Presence, long Typing, long Badges, long Notify, long DirectLists) OtherFrames =>
        (Interlocked.Read(ref _presence), Interlocked.Read(ref _typing), Interlocked.Read(ref _badges), Interlocked.Read(ref _notify), Interlocked.Read(ref _directLists));

    /// <summary>Deliveries of measured messages per whole second since <see cref="MeasuredFrom"/>.</summary>
    public long[] PerSecond(int seconds) => _perSecond[..Math.Clamp(seconds, 0, _perSecond.Length)];

    public void OnFrame(BenchSocket socket, ReadOnlySpan<byte> frame, long receivedAt)
    {
        var state = _tabs[socket.Index]!;
        var contents = Wire.Read(frame);
        if (contents.Messages)
        {
            var rest = frame;
            while (Wire.NextMessage(ref rest, out var seq, out var body))
                Record(socket.Index, state, seq, body, receivedAt);
            if (receivedAt > Interlocked.Read(ref _lastReceivedAt))
                Interlocked.Exchange(ref _lastReceivedAt, receivedAt);
            if (state.Seqs.ReadDue(receivedAt) is var read and > 0)
            {
                socket.Send(Wire.ReadFrame(read));
                ReadSent();
            }
            CheckCaughtUp(state);
        }
        if (contents.Acks > 0)
        {
            var rest = frame;
            while (Wire.NextAck(ref rest, out var acked))
            {
                if (_unacked.TryRemove(acked, out var dueAt))
                    AckLatency.RecordStopwatchTicks(receivedAt - dueAt);
                Interlocked.Increment(ref _acks);
                Interlocked.Decrement(ref state.PendingAcks); // the sender's own socket hears its acks
            }
            CheckCaughtUp(state);
        }
        if (contents.Errors > 0)
        {
            Interlocked.Add(ref _errors, contents.Errors);
            if (Volatile.Read(ref _firstError) is null)
                Interlocked.CompareExchange(ref _firstError, Wire.FirstErrorText(frame), null);
        }
        if (contents.Presence)
        {
            Interlocked.Increment(ref _presence);
            Interlocked.Add(ref _presenceBytes, frame.Length);
        }
        if (frame.IndexOf("id=\"typing-signal\""u8) >= 0) Interlocked.Increment(ref _typing);
        if (frame.IndexOf("<span id=\"unread-"u8) >= 0) Interlocked.Increment(ref _badges);
        if (frame.IndexOf("id=\"notify-signal\""u8) >= 0) Interlocked.Increment(ref _notify);
        if (frame.IndexOf("<ul id=\"direct-list\""u8) >= 0) Interlocked.Increment(ref _directLists);
        if (Wire.HasChangeMark(frame))
            state.Resumed.TrySetResult();
    }

    private void Record(int tab, TabState state, long seq, ReadOnlySpan<byte> body, long receivedAt)
    {
        var outcome = state.Seqs.See(seq);
        if (!Wire.TryParseBody(body, out var sentAt, out var id))
            return; // not one of the bench's messages
        if (id < 0 || id >= roomOf.Length)
        {
            Interlocked.Increment(ref _stale);
            return;
        }
        if (roomOf[id] != state.Room)
        {
            Interlocked.Increment(ref _misrouted);
            return;
        }
        if (id < Volatile.Read(ref state.FirstId) || id >= Volatile.Read(ref state.EndId))
        {
            Interlocked.Increment(ref outcome == SeqTracker.Outcome.InOrder ? ref _outside : ref _overlap);
            return;
        }
        if (outcome != SeqTracker.Outcome.InOrder && _anomalies.Count < 20)
            _anomalies.Enqueue($"{outcome} on tab {tab} of room {state.Room}: seq {seq} (message {id}; the tab's window {state.FirstId}..{(state.Left ? state.EndId : "open")}, its highest seq {state.Seqs.MaxSeq})");
        if (outcome == SeqTracker.Outcome.Duplicate)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }
        if (outcome == SeqTracker.Outcome.OutOfOrder)
            Interlocked.Increment(ref _outOfOrder);
        Interlocked.Increment(ref state.Received);
        Interlocked.Increment(ref _delivered);
        if (!measured[id])
            return;
        Interlocked.Increment(ref _measuredDelivered);
        Latency.RecordStopwatchTicks(receivedAt - sentAt);
        var second = (int)((receivedAt - MeasuredFrom) / Stopwatch.Frequency);
        if (second >= 0 && second < _perSecond.Length)
            Interlocked.Increment(ref _perSecond[second]);
    }

    private static void CheckCaughtUp(TabState state)
    {
        if (state.Left && Interlocked.Read(ref state.Received) >= Volatile.Read(ref state.Expected) && Interlocked.Read(ref state.PendingAcks) <= 0)
            state.CaughtUp.TrySetResult();
    }

    /// <summary>The bench closes this tab itself: its close is not a failure.</summary>
    public void Closing(int tab) => _tabs[tab]!.ClosingOnPurpose = true;

    public void OnClosed(BenchSocket socket, WebSocketCloseStatus? status, Exception? error)
    {
        var state = _tabs[socket.Index]!;
        state.CaughtUp.TrySetResult();
        state.Resumed.TrySetException(new InvalidOperationException($"tab {socket.Index} closed before its resume was answered: {status}"));
        if (state.ClosingOnPurpose)
            return;
        if (Interlocked.Increment(ref _closed) <= 10)
            Console.Error.WriteLine($"tab {socket.Index} was closed by the server: {status?.ToString() ?? "no close frame"} {error?.Message}");
    }
}

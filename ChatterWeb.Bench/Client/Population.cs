using System.Net.WebSockets;
using ChatterWeb.Bench.Target;

namespace ChatterWeb.Bench.Client;

/// <summary>Signing people up, making rooms and opening sockets in bulk, with bounded concurrency.</summary>
public static class Population
{
    /// <summary>A short id that keeps one run's emails and room names apart from another's on a reused server.</summary>
    public static string NewRunId() => Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// Signs <paramref name="count"/> people up through the Register page of the first instance. Each
    /// sign-up hashes a password (PBKDF2) on the server, so this is the slow part of setting up.
    /// </summary>
    public static async Task<List<ChatClient>> SignUpAsync(TargetSet targets, int count, string runId, int parallel, CancellationToken ct)
    {
        var users = new ChatClient[count];
        var done = 0;
        using var progress = Progress.Start("signing up", () => $"{Volatile.Read(ref done)}/{count} users");
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (i, token) =>
        {
            users[i] = await ChatClient.SignUpAsync(targets.Instances[0], $"bench-{runId}-{i}@bench.test", $"Bench {runId} {i}", token);
            Interlocked.Increment(ref done);
        });
        return [.. users];
    }

    /// <summary>Creates open rooms through the rooms page as <paramref name="creator"/>; returns their slugs.</summary>
    public static async Task<List<string>> CreateRoomsAsync(ChatClient creator, int count, string runId, CancellationToken ct)
    {
        var slugs = new List<string>(count);
        for (var r = 0; r < count; r++)
            slugs.Add(await creator.CreateRoomAsync($"bench {runId} room {r}", ct));
        return slugs;
    }

    /// <summary>
    /// Each person opens the room page of every room they will hold a socket in, once, as a browser
    /// does before its socket: that makes them a member, so unread counts and notifications run for
    /// them as for real members (a socket alone, in an open room, is a visitor without read state).
    /// </summary>
    public static async Task<int> OpenRoomPagesAsync(IEnumerable<(ChatClient User, string Slug)> visits, int parallel, CancellationToken ct)
    {
        var distinct = visits.Distinct().ToList();
        var opened = 0;
        await Parallel.ForEachAsync(distinct, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (visit, token) =>
        {
            using var response = await visit.User.Http.GetAsync($"/rooms/{visit.Slug}", token);
            response.EnsureSuccessStatusCode();
            Interlocked.Increment(ref opened);
        });
        return opened;
    }

    public sealed record ConnectFailure(int Index, string Reason);

    /// <summary>
    /// Opens sockets <c>0..count-1</c> with at most <paramref name="parallel"/> handshakes in flight.
    /// <paramref name="plan"/> says which instance, room and user socket <c>i</c> belongs to.
    /// Failures are collected, not thrown. <paramref name="onConnected"/> sees each handshake's duration.
    /// </summary>
    public static async Task<(BenchSocket?[] Sockets, List<ConnectFailure> Failures)> ConnectAsync(
        int count,
        Func<int, (Uri Instance, string Slug, ChatClient User)> plan,
        IFrameSink sink,
        int parallel,
        TimeSpan timeout,
        Action<int, TimeSpan>? onConnected,
        CancellationToken ct)
    {
        var sockets = new BenchSocket?[count];
        var failures = new List<ConnectFailure>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (i, token) =>
        {
            var (instance, slug, user) = plan(i);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                sockets[i] = await BenchSocket.ConnectAsync(i, instance, slug, user.Cookies, sink, timeout, token);
                onConnected?.Invoke(i, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException && !ct.IsCancellationRequested)
            {
                lock (failures)
                    failures.Add(new ConnectFailure(i, Describe(e)));
            }
        });
        return (sockets, failures);
    }

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timeout",
        WebSocketException { InnerException: { } inner } => $"{e.Message} ({inner.Message})",
        _ => e.Message,
    };

    /// <summary>A sink that reads and drops everything (sockets being closed on purpose).</summary>
    public sealed class DropSink : IFrameSink
    {
        public static readonly DropSink Instance = new();

        public void OnFrame(BenchSocket socket, ReadOnlySpan<byte> frame, long receivedAt) { }

        public void OnClosed(BenchSocket socket, WebSocketCloseStatus? status, Exception? error) { }
    }

    /// <summary>Closes every socket cleanly, a bounded number at a time; what they receive meanwhile is dropped.</summary>
    public static Task CloseAllAsync(IReadOnlyList<BenchSocket?> sockets, int parallel = 256)
    {
        foreach (var s in sockets)
        {
            if (s is not null)
                s.Sink = DropSink.Instance;
        }
        return Parallel.ForEachAsync(sockets.OfType<BenchSocket>(), new ParallelOptions { MaxDegreeOfParallelism = parallel },
            async (s, _) => await s.DisposeAsync());
    }

    /// <summary>Waits until no socket has received a frame for <paramref name="quiet"/> (presence storms after joining), at most <paramref name="max"/>.</summary>
    public static async Task<bool> WaitQuietAsync(IReadOnlyList<BenchSocket?> sockets, TimeSpan quiet, TimeSpan max, CancellationToken ct)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        var last = -1L;
        var quietSince = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < max)
        {
            var (frames, _) = BenchSocket.Received(sockets);
            if (frames != last)
            {
                last = frames;
                quietSince.Restart();
            }
            else if (quietSince.Elapsed >= quiet)
            {
                return true;
            }
            await Task.Delay(100, ct);
        }
        return false;
    }
}

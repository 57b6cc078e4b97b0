using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Delivery;

/// <summary>Bound from <c>Chatter:Realtime</c>. Defaults suit a team chat on an intranet.</summary>
public sealed class RealtimeOptions
{
    public const string Section = "Chatter:Realtime";

    /// <summary>Largest inbound frame; a bigger one closes the socket with 1009.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 16 * 1024;

    /// <summary>Frames waiting for one socket before it counts as a slow consumer (closed with 1013).</summary>
    [Range(8, 100_000)]
    public int SendQueueFrames { get; set; } = 512;

    /// <summary>Bytes waiting for one socket before it counts as a slow consumer (closed with 1013).</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public int SendQueueBytes { get; set; } = 1024 * 1024;

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Origins allowed to open a socket besides the app's own (e.g. "https://chat.example.com").</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How many missed messages a reconnecting page is sent; beyond that it is told to reload.</summary>
    [Range(1, 10_000)]
    public int ResumeLimit { get; set; } = 500;

    /// <summary>Messages a person may send in a burst, across all their sockets.</summary>
    [Range(1, 10_000_000)]
    public int MessageBurst { get; set; } = 20;

    /// <summary>Sustained messages per second per person once the burst is spent.</summary>
    [Range(0.01, 10_000_000)]
    public double MessagesPerSecond { get; set; } = 2;

    /// <summary>Sends refused for rate while still being told to slow down, before the socket is closed with 1008.</summary>
    [Range(1, 10_000_000)]
    public int RateLimitStrikes { get; set; } = 20;

    /// <summary>Frames that were not understood (bad JSON, unknown type, wrong fields) before the socket is closed with 1008.</summary>
    [Range(1, 10_000_000)]
    public int JunkFrameLimit { get; set; } = 20;

    /// <summary>Open sockets one person may hold on this instance (tabs x rooms); the next upgrade gets 429.</summary>
    [Range(1, 100_000)]
    public int MaxSocketsPerUser { get; set; } = 32;

    /// <summary>Open sockets this instance holds; the next upgrade gets 503 (the balancer tries another instance).</summary>
    [Range(1, 1_000_000)]
    public int MaxSocketsPerInstance { get; set; } = 18_000;

    /// <summary>On shutdown, how long the instance keeps answering 503 on /readyz and upgrades before it stops listening.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a send may take to be stored before the sender is told it failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan PostTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Experimental: Kestrel's socket transport runs its pipe continuations inline (SocketTransportOptions.UnsafePreferInlineScheduling).</summary>
    public bool InlineTransport { get; set; }

    /// <summary>
    /// Kestrel's I/O queues (<c>SocketTransportOptions.IOQueueCount</c>): the work items that run the
    /// sockets' sends and receives, each working through everything queued on it at once. Unset: one
    /// queue on a machine with one or two cores, Kestrel's default (one per core, at most 16) on larger
    /// ones. One queue on two cores measured 6% less CPU per delivery and p99 about a fifth lower at
    /// 150,000 deliveries a second (docs/BENCHMARKS.md). 0 hands each socket's I/O to the thread pool directly.
    /// </summary>
    [Range(0, 64)]
    public int? IOQueueCount { get; set; }

    /// <summary>What an unset <see cref="IOQueueCount"/> means on a machine with <paramref name="processors"/> cores.</summary>
    public static int DefaultIOQueueCount(int processors) => processors <= 2 ? 1 : Math.Min(processors, 16);

    /// <summary>The I/O queues Kestrel gets on a machine with <paramref name="processors"/> cores: <see cref="IOQueueCount"/> when set, otherwise the default.</summary>
    public int IOQueuesOn(int processors) => IOQueueCount ?? DefaultIOQueueCount(processors);
}

using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Realtime;

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

    /// <summary>How long a send may take to be stored before the sender is told it failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan PostTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

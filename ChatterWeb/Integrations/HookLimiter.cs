using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Integrations;

/// <summary>
/// How fast each incoming webhook may post (per instance): a token bucket per hook of
/// <see cref="IntegrationsOptions.HookBurst"/>, refilled at <see cref="IntegrationsOptions.HookPostsPerMinute"/>.
/// A refused post learns when to try again (Retry-After).
/// </summary>
public sealed class HookLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<long> _limiter;

    public HookLimiter(IOptions<IntegrationsOptions> options)
    {
        var o = options.Value;
        // One token per period: the bucket refills evenly instead of all at once at the minute.
        var period = TimeSpan.FromMinutes(1) / o.HookPostsPerMinute;
        _limiter = PartitionedRateLimiter.Create<long, long>(hookId => RateLimitPartition.GetTokenBucketLimiter(hookId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.HookBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : period,
            AutoReplenishment = true,
            QueueLimit = 0,
        }));
    }

    /// <summary>Null when the hook may post now; otherwise how long until it may.</summary>
    public TimeSpan? TryAcquire(long hookId)
    {
        using var lease = _limiter.AttemptAcquire(hookId);
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(1);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _lastRecorded = new();

    /// <summary>
    /// True at most once a minute per hook (per instance): when its "last used" is worth writing. The
    /// page shows it to the minute, and a busy hook should not add a write to every post.
    /// </summary>
    public bool ShouldRecordUse(long hookId, long nowTimestamp, TimeProvider time)
    {
        var last = _lastRecorded.GetOrAdd(hookId, 0);
        if (last != 0 && time.GetElapsedTime(last, nowTimestamp) < TimeSpan.FromMinutes(1))
            return false;
        return _lastRecorded.TryUpdate(hookId, nowTimestamp, last);
    }

    public void Dispose() => _limiter.Dispose();
}

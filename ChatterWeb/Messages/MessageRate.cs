using System.Threading.RateLimiting;
using ChatterWeb.Delivery;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// The one rate for everything a person writes into rooms, whichever way it comes in (socket frame,
/// form post, upload, edit, and anything else that goes through <see cref="PostMessageHandler"/> or
/// <see cref="EditMessageHandler"/>): a token bucket per person (System.Threading.RateLimiting),
/// <see cref="RealtimeOptions.MessageBurst"/> at once, refilled at <see cref="RealtimeOptions.MessagesPerSecond"/>.
/// Per instance: with several instances behind a balancer a person gets at most that much per instance.
/// </summary>
public sealed class MessageRate : IDisposable
{
    public const string TooFastError = "You are sending messages too fast. Wait a moment, then try again.";

    private readonly PartitionedRateLimiter<string> _limiter;

    public MessageRate(IOptions<RealtimeOptions> options)
    {
        var o = options.Value;
        // One token every 1/rate seconds (a fractional rate such as 0.2/s is one token every 5 s).
        var period = TimeSpan.FromSeconds(Math.Max(1.0 / o.MessagesPerSecond, 0.001));
        var tokensPerPeriod = o.MessagesPerSecond > 1000 ? (int)Math.Min(o.MessagesPerSecond / 1000, int.MaxValue) : 1;
        _limiter = PartitionedRateLimiter.Create<string, string>(userId =>
            RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.MessageBurst,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one write from the person's bucket; false when it is empty (nothing may be written).</summary>
    public bool TryTake(string userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Attachments;

/// <summary>
/// Uploads per person per minute (a token bucket per user id, on this instance). Checked inside the
/// upload endpoint, where the person is known (the app's rate-limiter middleware runs before sign-in
/// is read), and before the body is read.
/// </summary>
public sealed class UploadBudget(IOptions<AttachmentOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(userId =>
        RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.UploadsPerMinute,
            TokensPerPeriod = options.Value.UploadsPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public const string TooManyError = "Too many uploads in a short time. Wait a minute and try again.";

    public bool TryTake(string userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

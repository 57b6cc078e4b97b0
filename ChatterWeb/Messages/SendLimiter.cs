using System.Collections.Concurrent;
using ChatterWeb.Delivery;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// Per-user message rate across every socket (and tab) of that user on this instance: one bucket
/// per user, so opening more sockets buys no more sends. Buckets of people who went quiet are
/// dropped by <see cref="Trim"/>.
/// </summary>
public sealed class SendLimiter(IOptions<RealtimeOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new();

    public bool TryAcquire(string userId)
    {
        var o = options.Value;
        return _buckets.GetOrAdd(userId, _ => new TokenBucket(o.MessageBurst, o.MessagesPerSecond, time)).TryTake();
    }
}

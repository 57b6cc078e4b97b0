namespace ChatterWeb.Messages;

/// <summary>
/// A token bucket on an injected clock: <c>capacity</c> tokens for a burst, refilled at
/// <c>refillPerSecond</c>. A person typing fast spends a few tokens and gets them back; a script
/// that floods runs dry. Thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly double _capacity;
    private readonly double _refillPerSecond;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    public TokenBucket(double capacity, double refillPerSecond, TimeProvider time)
    {
        _capacity = _tokens = capacity;
        _refillPerSecond = refillPerSecond;
        _time = time;
        _last = time.GetTimestamp();
    }

    public bool TryTake()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _refillPerSecond);
            _last = now;
            if (_tokens < 1)
                return false;
            _tokens -= 1;
            return true;
        }
    }
}

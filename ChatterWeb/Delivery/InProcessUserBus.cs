using System.Collections.Concurrent;

namespace ChatterWeb.Delivery;

/// <summary>One instance: publishing is calling the user's listener.</summary>
public sealed class InProcessUserBus : IUserBus
{
    private readonly ConcurrentDictionary<string, Action<UserFrame>> _listeners = new();

    public ValueTask PublishAsync(UserFrame frame)
    {
        if (_listeners.TryGetValue(frame.UserId, out var deliver))
            deliver(frame);
        return ValueTask.CompletedTask;
    }

    public IDisposable Listen(string userId, Action<UserFrame> deliver)
    {
        if (!_listeners.TryAdd(userId, deliver))
            throw new InvalidOperationException("This user already has a listener on this instance.");
        return new Lease(() => _listeners.TryRemove(new KeyValuePair<string, Action<UserFrame>>(userId, deliver)));
    }
}

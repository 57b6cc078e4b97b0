using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// At most one room-wide mention per person per room per <see cref="RoomWideOptions.RoomWideInterval"/>
/// (per instance, like <see cref="MessageRate"/>). Taken only when such a message is about to be stored.
/// </summary>
public sealed class RoomWideRate(IOptions<RoomWideOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string UserId, long RoomId), DateTimeOffset> _last = new();

    public bool TryTake(string userId, long roomId)
    {
        var now = time.GetUtcNow();
        var interval = options.Value.RoomWideInterval;
        var key = (userId, roomId);
        while (true)
        {
            if (_last.TryGetValue(key, out var last))
            {
                if (now - last < interval)
                    return false;
                if (_last.TryUpdate(key, now, last))
                    break;
            }
            else if (_last.TryAdd(key, now))
            {
                break;
            }
        }
        if (_last.Count > 10_000) // forget what no longer limits anyone
            foreach (var (k, at) in _last)
                if (now - at >= interval)
                    _last.TryRemove(k, out _);
        return true;
    }
}

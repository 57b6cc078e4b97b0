namespace ChatterWeb.Delivery;

/// <summary>
/// The caps on open sockets: per person (tabs x rooms) and per instance. A place is taken before
/// the upgrade and given back when the socket's request ends.
/// </summary>
public sealed class SocketQuota
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perUser = [];
    private int _sockets;

    /// <summary>Sockets reserved or open on this instance.</summary>
    public int ConnectionCount => Volatile.Read(ref _sockets);

    /// <summary>Takes a place for one more socket; null when granted, otherwise the status code to answer with. Give it back with <see cref="Release"/>.</summary>
    public int? TryReserve(string userId, int maxPerUser, int maxPerInstance)
    {
        lock (_gate)
        {
            if (_sockets >= maxPerInstance)
                return StatusCodes.Status503ServiceUnavailable;
            _perUser.TryGetValue(userId, out var mine);
            if (mine >= maxPerUser)
                return StatusCodes.Status429TooManyRequests;
            _perUser[userId] = mine + 1;
            _sockets++;
            return null;
        }
    }

    public void Release(string userId)
    {
        lock (_gate)
        {
            if (!_perUser.TryGetValue(userId, out var mine))
                return;
            if (mine <= 1)
                _perUser.Remove(userId);
            else
                _perUser[userId] = mine - 1;
            _sockets--;
        }
    }
}

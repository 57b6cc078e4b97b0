namespace ChatterWeb.Delivery;

/// <summary>
/// A lease whose subscription completes asynchronously (Redis). <see cref="Listening"/> completes
/// once frames published from then on are heard (or at once while the transport is down: what is
/// missed meanwhile is healed from the database), and is cancelled when the lease ends first.
/// </summary>
public interface IListenLease : IDisposable
{
    Task Listening { get; }
}

namespace ChatterWeb.Delivery;

/// <summary>A subscription that runs <paramref name="dispose"/> once, however often it is disposed.</summary>
internal sealed class Lease(Action dispose) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            dispose();
    }
}

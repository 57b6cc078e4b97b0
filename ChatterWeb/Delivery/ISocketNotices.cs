namespace ChatterWeb.Delivery;

/// <summary>How the page is told that a frame it sent was not understood: the markup is the page's, not the core's.</summary>
public interface ISocketNotices
{
    ReadOnlyMemory<byte> NotUnderstood(string what);
}

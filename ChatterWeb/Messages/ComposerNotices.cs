using ChatterWeb.Delivery;

namespace ChatterWeb.Messages;

/// <summary>A frame the page sent that was not understood is reported under the composer.</summary>
public sealed class ComposerNotices : ISocketNotices
{
    public ReadOnlyMemory<byte> NotUnderstood(string what) => ComposerStatus.Error($"That frame was not understood ({what}).");
}

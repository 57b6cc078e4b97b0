using System.Collections.Frozen;

namespace ChatterWeb.Delivery;

/// <summary>The registered frame handlers by type; two for one type stop the app at start.</summary>
public sealed class SocketFrameHandlers(IEnumerable<ISocketFrameHandler> handlers)
{
    private readonly FrozenDictionary<string, ISocketFrameHandler> _byType = handlers.ToFrozenDictionary(h => h.Type, StringComparer.Ordinal);

    public bool TryGet(string type, out ISocketFrameHandler handler) => _byType.TryGetValue(type, out handler!);

    public IEnumerable<string> Types => _byType.Keys;
}

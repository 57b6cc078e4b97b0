namespace ChatterWeb.Delivery;

/// <summary>
/// Several finished frames sent as ONE WebSocket message, in order. Every frame is a complete
/// top-level element with its own <c>hx-swap-oob</c>, and htmx-ext-ws swaps every top-level element
/// of a message, so the page sees the same swaps in the same order; the socket pays one send for
/// the lot. The room's pump joins what waited in its outbox once for all of the room's sockets; a
/// socket joins what queued behind a send still in progress.
/// </summary>
internal struct FrameJoiner(Memory<byte> buffer)
{
    /// <summary>Most bytes joined into one message.</summary>
    public const int MaxBytes = 64 * 1024;

    private int _used;

    public static bool Fits(int bytes) => bytes <= MaxBytes;

    public readonly ReadOnlyMemory<byte> Joined => buffer[.._used];

    public void Append(ReadOnlyMemory<byte> frame)
    {
        if (!TryAppend(frame))
            throw new InvalidOperationException("The frame does not fit the joined buffer.");
    }

    public bool TryAppend(ReadOnlyMemory<byte> frame)
    {
        if (_used + frame.Length > buffer.Length)
            return false;
        frame.Span.CopyTo(buffer.Span[_used..]);
        _used += frame.Length;
        return true;
    }
}

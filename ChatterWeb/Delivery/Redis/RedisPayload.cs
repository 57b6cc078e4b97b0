using System.Buffers.Binary;

namespace ChatterWeb.Delivery.Redis;

/// <summary>
/// What the room and per-user channels carry: 16 bytes of the publishing instance's id (so an
/// instance drops its own echo), one 8-byte big-endian number (a room frame's seq; a per-user
/// frame's badge-only room), then the HTML bytes.
/// </summary>
internal static class RedisPayload
{
    public const int HeaderBytes = 24;

    public static byte[] Encode(Guid instance, long number, ReadOnlySpan<byte> html)
    {
        var payload = new byte[HeaderBytes + html.Length];
        instance.TryWriteBytes(payload.AsSpan(0, 16));
        BinaryPrimitives.WriteInt64BigEndian(payload.AsSpan(16, 8), number);
        html.CopyTo(payload.AsSpan(HeaderBytes));
        return payload;
    }

    public static bool TryDecode(byte[]? payload, out Guid instance, out long number, out ReadOnlyMemory<byte> html)
    {
        if (payload is null || payload.Length < HeaderBytes)
        {
            (instance, number, html) = (default, 0, default);
            return false;
        }
        instance = new Guid(payload.AsSpan(0, 16));
        number = BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(16, 8));
        html = payload.AsMemory(HeaderBytes);
        return true;
    }
}

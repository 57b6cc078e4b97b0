using System.Text.RegularExpressions;
using System.Text;
using ChatterWeb.Delivery;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Delivery;

/// <summary>For tests that hand frames to the <see cref="RoomSockets"/> directly.</summary>
internal static class DirectDelivery
{
    /// <summary>A message frame as the writer publishes it, with the body "message {seq}".</summary>
    public static RoomFrame Frame(long roomId, long seq) =>
        new(roomId, seq, MessageMarkup.RenderFragment(new MessageView(seq, "someone", "Someone", $"message {seq}", DateTimeOffset.UtcNow)));

    /// <summary>A frame for one socket, queued with <see cref="RoomSockets.SendAfterReleased"/> after message <paramref name="seq"/> (an acknowledgement's stand-in).</summary>
    public static byte[] After(long seq) => Encoding.UTF8.GetBytes($"<div id=\"after-{seq}\" hx-swap-oob=\"true\"></div>");

    /// <summary>The ids of the messages (<c>m-N</c>) and <see cref="After"/> frames (<c>after-N</c>) the socket received, in order (a WebSocket message may hold several).</summary>
    public static List<string> Order(TestSocket socket) =>
        socket.Seen.SelectMany(f => Regex.Matches(f, "id=\"((m|after)-\\d+)\"")).Select(m => m.Groups[1].Value).ToList();

    /// <summary>A new open room with one member's socket in it, and the room sockets registry.</summary>
    public static async Task<(long RoomId, TestSocket Socket, RoomSockets Hub)> RoomWithOneSocketAsync(this ChatterServer server, string name)
    {
        var user = await server.SignUpAsync();
        var slug = (await server.WithDbAsync(db => new ChatterWeb.Rooms.RoomDirectory(db, TimeProvider.System).CreateOpenAsync(name + " " + Guid.NewGuid().ToString("N")[..6], user.Id))).Slug;
        var roomId = await server.RoomIdAsync(slug);
        return (roomId, await user.JoinAsync(slug), server.Services.GetRequiredService<RoomSockets>());
    }
}

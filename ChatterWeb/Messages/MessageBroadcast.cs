using ChatterWeb.Delivery;
using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>
/// Messages on their way to the room's sockets: each stored message is rendered ONCE and published
/// with its seq (the room's sequencer keeps the order on every instance); a change is the message
/// as it now is, replacing <c>#m-{seq}</c> out of band, published with seq 0 (it is not a message
/// and needs no ordering: resume replays changes by their own counter).
/// </summary>
public sealed class MessageBroadcast(IRoomBus bus) : IMessageListener
{
    public ValueTask StoredAsync(RoomInfo room, MessageView message) =>
        bus.PublishAsync(new RoomFrame(room.Id, message.Seq, MessageMarkup.RenderFragment(message)));

    public ValueTask ChangedAsync(RoomInfo room, MessageView message) =>
        bus.PublishAsync(new RoomFrame(room.Id, 0, MessageMarkup.RenderChange(message)));
}

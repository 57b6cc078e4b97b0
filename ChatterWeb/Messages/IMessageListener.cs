using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>
/// Hears that a message was stored or changed. Delivery to the room's sockets
/// (<see cref="MessageBroadcast"/>), unread counts and notifications, and any later subscriber
/// (webhooks, an audit trail) listen here; Messages calls none of them by name. Registered with
/// <see cref="MessagesExtensions.AddMessageListener{TListener}"/>, called in registration order.
/// A listener must not wait on anything slow: it queues its work.
/// </summary>
public interface IMessageListener
{
    /// <summary>
    /// A new message was committed (a resend of a stored one is not announced again). Called by the
    /// writer after the commit, in seq order within a room, before the sender hears back.
    /// </summary>
    ValueTask StoredAsync(RoomInfo room, MessageView message);

    /// <summary>A message was edited or deleted: its state now, after the commit.</summary>
    ValueTask ChangedAsync(RoomInfo room, MessageView message);
}

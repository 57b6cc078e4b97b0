using ChatterWeb.Messages;
using ChatterWeb.Rooms;

namespace ChatterWeb.Notifications;

/// <summary>A stored message (<see cref="Message"/>) or a read mark (<see cref="ReaderId"/> up to <see cref="UpToSeq"/>).</summary>
internal readonly record struct ReadStateEvent(RoomInfo Room, MessageView? Message, string? ReaderId, long UpToSeq);

using ChatterWeb.Messages;
using ChatterWeb.Rooms;

namespace ChatterWeb.Bots;

/// <summary>A stored message that may call a bot (it mentions someone or starts with a slash), waiting for <see cref="BotDispatcher"/>.</summary>
public sealed record BotTrigger(RoomInfo Room, MessageView Message);

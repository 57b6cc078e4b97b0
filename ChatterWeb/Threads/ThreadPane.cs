using ChatterWeb.Messages;

namespace ChatterWeb.Threads;

/// <summary>An open thread beside the room: its first message and its replies (at most <see cref="MaxReplies"/>, the newest).</summary>
public sealed record ThreadPane(string RoomSlug, MessageView Parent, IReadOnlyList<MessageView> Replies)
{
    public const int MaxReplies = 500;
}

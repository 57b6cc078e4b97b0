using ChatterWeb.Attachments;
using ChatterWeb.Rooms;

namespace ChatterWeb.Messages;

/// <summary>A message to store: everything but its Seq, which the writer takes.</summary>
/// <param name="Mentions">The mentioned members' ids (space-separated), found by the post handler; null for none.</param>
/// <param name="File">An uploaded file (already in the attachment store) whose row goes in with the message.</param>
public sealed record NewMessage(RoomInfo Room, string AuthorId, string AuthorName, string Body, string ClientMessageId, string? Mentions = null, UploadedFile? File = null, bool AuthorIsBot = false)
{
    /// <summary>A reply: its thread (<see cref="ReplyTo"/>, found by the post handler); null for a message of the room.</summary>
    public ReplyTo? Reply { get; init; }

    /// <summary>The author's chosen avatar (<see cref="Data.ChatUser.Avatar"/>); null: initials.</summary>
    public string? AuthorAvatar { get; init; }

    /// <summary>An <c>@here</c> (whose people are in <see cref="Mentions"/>) or <c>@room</c>, checked by the post handler.</summary>
    public Data.RoomMention RoomMention { get; init; }
}

using ChatterWeb.Data;
using ChatterWeb.Rooms;
using ChatterWeb.Metrics;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

public sealed class PostMessageHandler(
    RoomDirectory rooms,
    MessageWriter writer,
    MentionCandidates mentionable,
    ReplyTargets replies,
    MessageHistory history,
    ChatterMetrics metrics,
    MessageRate rate,
    RoomWideReach reach,
    RoomWideRate roomWideRate,
    IOptions<RoomWideOptions> roomWide,
    TimeProvider time)
{
    public async Task<PostMessageResult> HandleAsync(PostMessage command, CancellationToken ct = default)
    {
        var (body, error) = command.File is null ? PostMessage.Validate(command.Body) : PostMessage.ValidateCaption(command.Body);
        if (error is not null)
            return new PostMessageResult.Rejected(error);

        var clientMessageId = string.IsNullOrEmpty(command.ClientMessageId) ? Guid.NewGuid().ToString() : command.ClientMessageId;
        if (!PostMessage.IsValidClientMessageId(clientMessageId))
            return new PostMessageResult.Rejected(PostMessage.BadIdError);

        // Open rooms admit everyone signed in; closed and direct rooms are checked on every send.
        if (command.Room.Kind != RoomKind.Open && !await rooms.IsMemberAsync(command.Room.Id, command.AuthorId, ct))
            return new PostMessageResult.Rejected(PostMessage.NotAllowedError);

        // Every way in (socket, form, upload, API) comes through here, so this is where the rate is applied.
        if (!rate.TryTake(command.AuthorId))
            return new PostMessageResult.TooFast();

        var mentions = await mentionable.ParseAsync(command.Room.Id, body!, command.AuthorId, ct);
        ReplyTo? reply = null;
        if (command.ParentSeq is long parentSeq)
        {
            reply = await replies.FindAsync(command.Room.Id, parentSeq, command.AlsoToRoom, mentions, ct);
            if (reply is null)
            {
                // a resend of a reply stored before its thread's first message was deleted is answered as the duplicate it is
                if (await history.SentAsync(command.AuthorId, clientMessageId, ct) is { } sent)
                    return new PostMessageResult.Stored(sent, clientMessageId, Duplicate: true);
                return new PostMessageResult.Rejected(PostMessage.NoParentError);
            }
        }
        var roomMention = RoomWide.Find(body!);
        if (roomMention != RoomMention.None)
        {
            var (refused, reached) = await RoomWideAsync(command, roomMention, clientMessageId, reply, ct);
            if (refused is not null)
                return refused;
            if (roomMention == RoomMention.Here)
                mentions = Merge(mentions, reached!);
        }
        // Stored, announced (published to the room, counted as unread: in Seq order, by the writer) and only then answered.
        // Archived rooms are read-only for every way in: the writer refuses them in the statement that takes
        // the Seq (a socket's room was read when it opened, so it is asked there, at no extra read per send).
        var started = time.GetTimestamp();
        try
        {
            var (message, duplicate) = await writer.StoreAsync(
                new NewMessage(command.Room, command.AuthorId, command.AuthorName, body!, clientMessageId, mentions, command.File, command.AuthorIsBot)
                {
                    Reply = reply,
                    RoomMention = roomMention,
                    AuthorAvatar = command.AuthorAvatar,
                }, ct);
            metrics.PostCompleted(time.GetElapsedTime(started));
            return new PostMessageResult.Stored(message, clientMessageId, duplicate);
        }
        catch (RoomArchivedException)
        {
            return new PostMessageResult.Archived();
        }
    }

    /// <summary>
    /// The checks of an <c>@here</c>/<c>@room</c>, in this order: a resend of one already stored is
    /// its duplicate (never refused by the rate it took); an archived room; the room's size; the sender's confirmation
    /// when it reaches many; the rate (taken last, only for what will be stored). Returns a refusal,
    /// or the people reached.
    /// </summary>
    private async Task<(PostMessageResult? Refused, List<string>? Reached)> RoomWideAsync(PostMessage command, RoomMention kind, string clientMessageId, ReplyTo? reply,
        CancellationToken ct)
    {
        if (await history.SentAsync(command.AuthorId, clientMessageId, ct) is { } sent)
            return (new PostMessageResult.Stored(sent, clientMessageId, Duplicate: true), null);
        if (await rooms.IsArchivedAsync(command.Room.Id, ct))
            return (new PostMessageResult.Archived(), null); // before the size and the confirmation: nothing will be stored
        var options = roomWide.Value;
        if (await reach.MemberCountAsync(command.Room.Id, ct) > options.RoomWideMaxMembers)
            return (new PostMessageResult.Rejected(RoomWide.TooBigError(kind, options.RoomWideMaxMembers)), null);
        var reached = await reach.ResolveAsync(command.Room.Id, command.AuthorId, kind, reply is { AlsoInRoom: false } r ? r.People : null, ct);
        if (command.AskBeforeRoomWide && reached.Count > options.ConfirmAbove)
            return (new PostMessageResult.NeedsConfirmation(kind, reached.Count), null);
        if (!roomWideRate.TryTake(command.AuthorId, command.Room.Id))
            return (new PostMessageResult.Rejected(RoomWide.TooSoonError(kind, options.RoomWideInterval)), null);
        return (null, reached);
    }

    /// <summary>The names mentioned, then the people an <c>@here</c> reached, each once.</summary>
    private static string? Merge(string? mentions, List<string> reached)
    {
        var ids = (mentions?.Split(' ') ?? []).Concat(reached).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0 ? null : string.Join(' ', ids);
    }
}

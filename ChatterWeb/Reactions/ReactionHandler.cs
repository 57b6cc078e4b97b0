using ChatterWeb.Data;
using ChatterWeb.Messages;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Reactions;

/// <summary>
/// The one way a reaction is stored, for the socket frame and the form alike: the emoji must be in
/// <see cref="ReactionEmoji"/>, the message readable and not deleted, the person within the rate of
/// posting (<see cref="MessageRate"/>, the same bucket). The change goes through
/// <see cref="MessageChanges"/>: the room's next change number and the new reactions in one
/// transaction (the room row is locked first, so two people reacting at once never lose one), then
/// "changed" for every listener, so the room's sockets see it live and a resume replays it once.
/// </summary>
public sealed class ReactionHandler(MessageChanges changes, ChatterWeb.Rooms.RoomDirectory rooms, MessageRate limiter)
{
    public const string UnknownEmojiError = "That is not one of the reactions on offer.";
    public const string TooManyError = "This message has as many different reactions as it can take.";
    public const string TooFastError = "You are reacting too fast. Wait a moment, then try again.";

    public async Task<ReactionResult> HandleAsync(ToggleReaction command, CancellationToken ct = default)
    {
        if (!ReactionEmoji.IsAllowed(command.Emoji))
            return new ReactionResult.Refused(UnknownEmojiError, StatusCodes.Status400BadRequest);
        var emoji = command.Emoji!;
        if (command.Room.Kind != RoomKind.Open && !await rooms.IsMemberAsync(command.Room.Id, command.UserId, ct))
            return new ReactionResult.NotFound();
        var target = await changes.FindAsync(command.Room.Id, command.Seq, ct);
        if (target is null || target.Deleted)
            return new ReactionResult.NotFound();
        if (await rooms.IsArchivedAsync(command.Room.Id, ct))
            return new ReactionResult.Refused(PostMessage.ArchivedError, StatusCodes.Status409Conflict);
        if (!limiter.TryTake(command.UserId))
            return new ReactionResult.Refused(TooFastError, StatusCodes.Status429TooManyRequests);

        var outcome = MessageReactions.Outcome.Changed;
        var view = await changes.ApplyAsync(command.Room, target.Id, async (messages, changeSeq, ct) =>
        {
            // Read inside the transaction, after the room row is locked: the state every other change waits behind.
            var stored = await messages.Select(m => new { m.Reactions }).SingleOrDefaultAsync(ct);
            if (stored is null)
                return 0;
            var now = MessageReactions.Parse(stored.Reactions);
            var (next, result) = now.With(emoji, command.UserId, command.UserName, command.On ?? !now.Has(emoji, command.UserId));
            outcome = result;
            if (result != MessageReactions.Outcome.Changed)
                return 0;
            var text = next.Serialize();
            return await messages.ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Reactions, text)
                .SetProperty(m => m.ChangeSeq, changeSeq), ct);
        }, ct);
        return (view, outcome) switch
        {
            ({ } changed, _) => new ReactionResult.Changed(changed),
            (null, MessageReactions.Outcome.Unchanged) => new ReactionResult.Unchanged(),
            (null, MessageReactions.Outcome.TooMany) => new ReactionResult.Refused(TooManyError, StatusCodes.Status400BadRequest),
            _ => new ReactionResult.NotFound(),
        };
    }
}

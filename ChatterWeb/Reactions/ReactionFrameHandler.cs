using System.Net.WebSockets;
using ChatterWeb.Delivery;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;

namespace ChatterWeb.Reactions;

/// <summary>
/// <c>{"type":"reaction","seq":N,"emoji":"👍","action":"add"|"remove"}</c> on a room socket. It says
/// the state wanted, not "toggle", so a frame sent twice (a resend after a reconnect) does what it
/// did once. The change reaches the room's sockets, the sender's too, as the message's article
/// (<see cref="MessageBroadcast"/>); a refusal is told to the sender only.
/// </summary>
public sealed partial class ReactionFrameHandler(IServiceScopeFactory scopes, ILogger<ReactionFrameHandler> logger) : ISocketFrameHandler
{
    public string Type => "reaction";

    public async ValueTask HandleAsync(SocketSession session, ClientFrame frame, CancellationToken stopping)
    {
        if (!frame.TryGetCount("seq", orDigits: true, out var seq, out var error)
            || !frame.TryGetString("emoji", out var emoji, out error)
            || !frame.TryGetString("action", out var action, out error))
        {
            session.NotUnderstood(error!);
            return;
        }
        bool? on = action switch { "add" => true, "remove" => false, _ => null };
        if (seq is null or 0 || emoji is null || on is null)
        {
            session.NotUnderstood("reaction needs a seq, an emoji and an action (add or remove)");
            return;
        }
        var room = session.Find<RoomInfo>() ?? throw new InvalidOperationException("A room socket carries its room.");
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var result = await scope.ServiceProvider.GetRequiredService<ReactionHandler>()
                .HandleAsync(new ToggleReaction(room, session.UserId, session.DisplayName, seq.Value, emoji, on), stopping);
            switch (result)
            {
                case ReactionResult.Refused refused:
                    session.SendToSelf(ComposerStatus.Error(refused.Error));
                    break;
                case ReactionResult.NotFound:
                    session.SendToSelf(ComposerStatus.Error("That message is not there any more."));
                    break;
            }
        }
        catch (Exception e) when (e is not WebSocketException and not OperationCanceledException)
        {
            LogReactionFailed(e, room.Id);
            session.SendToSelf(ComposerStatus.Error("Your reaction could not be saved; try again."));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reaction in room {RoomId} could not be stored")]
    private partial void LogReactionFailed(Exception e, long roomId);
}

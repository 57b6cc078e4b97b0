using System.Net.WebSockets;
using ChatterWeb.Delivery;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;

namespace ChatterWeb.Pins;

/// <summary>
/// <c>{"type":"pin","seq":N,"action":"pin"|"unpin"}</c> on a room socket. It says the state wanted, not
/// "toggle", so a frame sent twice does what it did once. The change reaches the room's sockets, the
/// sender's too, as the message's article and the room's pin count; a refusal is told to the sender only.
/// </summary>
public sealed partial class PinFrameHandler(IServiceScopeFactory scopes, ILogger<PinFrameHandler> logger) : ISocketFrameHandler
{
    public string Type => "pin";

    public async ValueTask HandleAsync(SocketSession session, ClientFrame frame, CancellationToken stopping)
    {
        if (!frame.TryGetCount("seq", orDigits: true, out var seq, out var error)
            || !frame.TryGetString("action", out var action, out error))
        {
            session.NotUnderstood(error!);
            return;
        }
        bool? pin = action switch { "pin" => true, "unpin" => false, _ => null };
        if (seq is null or 0 || pin is null)
        {
            session.NotUnderstood("pin needs a seq and an action (pin or unpin)");
            return;
        }
        var room = session.Find<RoomInfo>() ?? throw new InvalidOperationException("A room socket carries its room.");
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var result = await scope.ServiceProvider.GetRequiredService<PinHandler>()
                .HandleAsync(new PinMessage(room, session.UserId, seq.Value, pin), stopping);
            switch (result)
            {
                case MessageChangeResult.NotFound:
                    session.SendToSelf(ComposerStatus.Error("That message is not there any more."));
                    break;
                case MessageChangeResult.Forbidden f:
                    session.SendToSelf(ComposerStatus.Error(f.Error));
                    break;
                case MessageChangeResult.Archived a:
                    session.SendToSelf(ComposerStatus.Error(a.Error));
                    break;
                case MessageChangeResult.TooFast t:
                    session.SendToSelf(ComposerStatus.Error(t.Error));
                    break;
            }
        }
        catch (Exception e) when (e is not WebSocketException and not OperationCanceledException)
        {
            LogPinFailed(e, room.Id);
            session.SendToSelf(ComposerStatus.Error("The pin could not be saved; try again."));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pin in room {RoomId} could not be stored")]
    private partial void LogPinFailed(Exception e, long roomId);
}

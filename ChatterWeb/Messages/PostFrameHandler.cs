using System.Diagnostics;
using System.Net.WebSockets;
using ChatterWeb.Delivery;
using ChatterWeb.Rooms;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// <c>{"type":"message","body":...,"clientMessageId":...}</c> on a room socket: the composer's send
/// (<c>"confirmRoomWide":"true"</c> once the sender confirmed an <c>@here</c>/<c>@room</c> that reaches many).
/// Posted through <see cref="PostMessageHandler"/> like the form post (which applies the person's
/// <see cref="MessageRate"/>; a socket that keeps sending too fast is closed with 1008), then
/// answered to the sender only: the acknowledgement (after the message itself, which the writer
/// released to the room first) or the error.
/// </summary>
public sealed partial class PostFrameHandler(IServiceScopeFactory scopes, IOptions<RealtimeOptions> options, ILogger<PostFrameHandler> logger)
    : ISocketFrameHandler
{
    public string Type => "message";

    /// <summary>Sends this socket made too fast, while still being told to slow down.</summary>
    private sealed class Strikes
    {
        public int Count;
    }

    public async ValueTask HandleAsync(SocketSession session, ClientFrame frame, CancellationToken stopping)
    {
        if (!frame.TryGetString("body", out var body, out var error) || !frame.TryGetString("clientMessageId", out var clientMessageId, out error)
            || !frame.TryGetCount("parentSeq", orDigits: true, out var parentSeq, out error) || !frame.TryGetString("alsoToRoom", out var alsoToRoom, out error)
            || !frame.TryGetString("confirmRoomWide", out var confirmRoomWide, out error))
        {
            session.NotUnderstood(error!);
            return;
        }
        var room = session.Find<RoomInfo>() ?? throw new InvalidOperationException("A room socket carries its room.");
        // Not cancelled by shutdown: a message already read is stored (within PostTimeout, well inside
        // the host's shutdown timeout) rather than failed because a restart began. Its ack may not get
        // out before the 1012 close; the page sends the frame again on its next socket and is acked then.
        using var timeout = new CancellationTokenSource(options.Value.PostTimeout);
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<PostMessageHandler>();
        try
        {
            var result = await handler.HandleAsync(new PostMessage(room, session.UserId, session.DisplayName, body, clientMessageId)
            {
                ParentSeq = parentSeq,
                AlsoToRoom = alsoToRoom is "true" or "on",
                AskBeforeRoomWide = confirmRoomWide is not "true",
            }, timeout.Token);
            if (result is PostMessageResult.TooFast && ++session.Feature<Strikes>().Count > options.Value.RateLimitStrikes)
            {
                session.Close(CloseCodes.Policy, "flooding");
                return;
            }
            session.SendToSelf(result switch
            {
                PostMessageResult.Stored stored => ComposerStatus.Ack(stored.ClientMessageId),
                PostMessageResult.NeedsConfirmation ask => ComposerStatus.Confirm(ask.Kind, ask.People),
                PostMessageResult.Rejected rejected => ComposerStatus.Error(rejected.Error),
                _ => throw new UnreachableException(),
            });
        }
        catch (Exception e) when (e is not WebSocketException)
        {
            LogPostFailed(e, room.Id);
            session.SendToSelf(ComposerStatus.Error("Your message could not be saved. It was not sent; try again."));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message to room {RoomId} could not be stored")]
    private partial void LogPostFailed(Exception e, long roomId);
}

using ChatterWeb.Delivery;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Messages;

/// <summary>
/// <c>{"type":"resume","afterSeq":N,"afterChange":C}</c>, sent by the page on every (re)connect: the
/// messages stored after the highest seq it shows, then the edits and deletes after the last change
/// it saw (<see cref="MessageReplay"/>). More than <see cref="RealtimeOptions.ResumeLimit"/> of either:
/// the page is told to reload. The socket joined the room before this runs, so a message committed
/// meanwhile arrives live and in the catch-up; the page drops what it already has.
/// </summary>
public sealed class ResumeFrameHandler(IServiceScopeFactory scopes, IOptions<RealtimeOptions> options) : ISocketFrameHandler
{
    public string Type => "resume";

    public async ValueTask HandleAsync(SocketSession session, ClientFrame frame, CancellationToken stopping)
    {
        if (!frame.TryGetCount("afterSeq", orDigits: true, out var afterSeq, out var error) || !frame.TryGetCount("afterChange", orDigits: true, out var afterChange, out error))
        {
            session.NotUnderstood(error!);
            return;
        }
        if (afterSeq is null || session.RoomId is not long roomId)
        {
            session.NotUnderstood("resume needs a non-negative afterSeq");
            return;
        }
        var limit = options.Value.ResumeLimit;
        await using var scope = scopes.CreateAsyncScope();
        var history = scope.ServiceProvider.GetRequiredService<MessageHistory>();
        var missed = await history.AfterAsync(roomId, afterSeq.Value, limit + 1, stopping);
        if (missed.Count > limit)
        {
            session.SendToSelf(ComposerStatus.Reload());
            return;
        }
        if (missed.Count > 0)
            session.SendToSelf(MessageMarkup.RenderFragment(missed));
        if (afterChange is long since)
            session.SendToSelf(await MessageReplay.ChangesAsync(history, roomId, since, limit, stopping) ?? ComposerStatus.Reload());
    }
}

using ChatterWeb.Infrastructure;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.RoomPages;

/// <summary>
/// <c>GET /rooms/{slug}/messages?before={seq}</c> (or <c>?after={seq}</c>): the page of older (newer) messages (a fragment for htmx,
/// a plain page otherwise). <c>POST</c>: the composer without JavaScript, same handler as the socket.
/// </summary>
public sealed class MessagesModel(RoomDirectory directory, MessageHistory history, PostMessageHandler post) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public MessageHistory.Page History { get; private set; } = null!;
    public bool IsHtmx => Request.Headers.ContainsKey("HX-Request");

    /// <summary>Reading forward (<c>?after=</c>, from a permalink) rather than back.</summary>
    public bool IsNewer { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, long? before, long? after)
    {
        if (before is < 1)
            return BadRequest("before must be a positive message sequence number.");
        if (after is < 0 || (after is not null && before is not null))
            return BadRequest("after must be a non-negative message sequence number, and not combined with before.");
        var room = await directory.FindReadableAsync(slug, User.UserId()!, HttpContext.RequestAborted);
        if (room is null)
            return NotFound();
        Room = room;
        IsNewer = after is not null;
        History = after is long a
            ? await history.NewerAsync(room.Id, a, HttpContext.RequestAborted)
            : await history.BeforeAsync(room.Id, before, HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    /// <summary>A post not sent until the sender confirms its <c>@here</c>/<c>@room</c>: the page asks (without JavaScript).</summary>
    public RoomWideQuestion? Question { get; private set; }

    public sealed record RoomWideQuestion(string Text, string People, string Body, string ClientMessageId, string? ParentSeq, bool AlsoToRoom);

    public async Task<IActionResult> OnPostAsync(string slug, string? body, string? clientMessageId, string? parentSeq, string? alsoToRoom, string? confirmRoomWide)
    {
        var room = await directory.FindReadableAsync(slug, User.UserId()!, HttpContext.RequestAborted);
        if (room is null)
            return NotFound();
        long? parent = null;
        if (!string.IsNullOrEmpty(parentSeq))
        {
            if (!long.TryParse(parentSeq, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) || p < 1)
                return BadRequest("parentSeq must be a positive message sequence number.");
            parent = p;
        }
        var result = await post.HandleAsync(new PostMessage(room, User.UserId()!, User.DisplayName(), body, clientMessageId)
        {
            ParentSeq = parent,
            AlsoToRoom = alsoToRoom is "true" or "on",
            AskBeforeRoomWide = confirmRoomWide is not "true",
        }, HttpContext.RequestAborted);
        if (result is PostMessageResult.NeedsConfirmation ask)
        {
            Room = room;
            Question = new RoomWideQuestion(ask.Error, RoomWide.People(ask.People), body ?? "", clientMessageId ?? "", parentSeq, alsoToRoom is "true" or "on");
            Response.Headers.CacheControl = "no-store";
            return Page();
        }
        if (result is PostMessageResult.TooFast tooFast)
        {
            Response.Headers.RetryAfter = "2";
            return new ContentResult { StatusCode = StatusCodes.Status429TooManyRequests, ContentType = "text/plain; charset=utf-8", Content = tooFast.Error };
        }
        if (result is PostMessageResult.Archived archived)
            return new ContentResult { StatusCode = StatusCodes.Status409Conflict, ContentType = "text/plain; charset=utf-8", Content = archived.Error };
        if (result is PostMessageResult.Rejected rejected)
        {
            TempData[RoomModel.ComposerErrorKey] = rejected.Error; // shown once by the room page
            return Redirect(parent is long t && rejected.Error != PostMessage.NoParentError ? MessageActions.ThreadPath(room.Slug, t) + "#thread-composer" : $"/rooms/{room.Slug}#composer");
        }
        var stored = (PostMessageResult.Stored)result;
        return Redirect(stored.Message.ParentSeq is long thread
            ? MessageActions.ThreadPath(room.Slug, thread) + $"#m-{stored.Message.Seq}"
            : $"/rooms/{room.Slug}#m-{stored.Message.Seq}");
    }
}

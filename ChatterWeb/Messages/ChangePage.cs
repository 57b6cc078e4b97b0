using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Messages;

/// <summary>
/// What the edit and delete pages share. With JavaScript, htmx calls them (MessageActions) with an
/// <c>HX-Request</c> header and gets fragments (the form; after a change, the article itself);
/// without it they are plain pages whose POST redirects to the message's permalink.
/// </summary>
public abstract class ChangePage(RoomDirectory directory, MessageChanges changes) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public long Seq { get; private set; }
    public string? Error { get; protected set; }
    public bool IsHtmx => Request.Headers.ContainsKey("HX-Request");
    public string Permalink => MessageActions.PermalinkPath(Room.Slug, Seq);

    /// <summary>The room (readable by the user) and the message (present, not deleted); null when either is missing.</summary>
    protected async Task<MessageChanges.Target?> LoadAsync(string slug, long seq)
    {
        var room = await directory.FindReadableAsync(slug, User.UserId()!, HttpContext.RequestAborted);
        if (room is null || seq < 1)
            return null;
        Room = room;
        Seq = seq;
        Response.Headers.CacheControl = "no-store";
        var target = await changes.FindAsync(room.Id, seq, HttpContext.RequestAborted);
        return target is { Deleted: false } ? target : null;
    }

    /// <summary>The answer to a POST: the article for htmx, a redirect to the permalink for a plain form.</summary>
    protected IActionResult Answer(MessageChangeResult result) => result switch
    {
        MessageChangeResult.Changed changed when IsHtmx => Content(MessageMarkup.Render(changed.Message), "text/html; charset=utf-8"),
        MessageChangeResult.Changed or MessageChangeResult.Unchanged when !IsHtmx => Redirect(Permalink),
        MessageChangeResult.Unchanged => StatusCode(StatusCodes.Status204NoContent),
        MessageChangeResult.NotFound => NotFound(),
        MessageChangeResult.Forbidden f => StatusCode(StatusCodes.Status403Forbidden, f.Error),
        MessageChangeResult.Invalid i when IsHtmx => BadRequest(i.Error),
        MessageChangeResult.Invalid i => Invalid(i.Error),
        MessageChangeResult.Archived a when IsHtmx => StatusCode(StatusCodes.Status409Conflict, a.Error),
        MessageChangeResult.Archived a => Invalid(a.Error, StatusCodes.Status409Conflict),
        MessageChangeResult.TooFast t when IsHtmx => StatusCode(StatusCodes.Status429TooManyRequests, t.Error),
        MessageChangeResult.TooFast t => Invalid(t.Error, StatusCodes.Status429TooManyRequests),
        _ => throw new InvalidOperationException(),
    };

    private PageResult Invalid(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }
}

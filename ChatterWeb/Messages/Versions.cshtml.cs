using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Messages;

/// <summary>
/// <c>/rooms/{slug}/messages/{seq}/versions</c>: an edited message's earlier texts, for whoever may
/// read the room (404 for anyone else, and for a deleted message). The "(edited)" marker links here:
/// without JavaScript this is a page; with it (edit-history.mjs, an <c>HX-Request</c>) the list
/// alone, opened under the message.
/// </summary>
public sealed class VersionsModel(RoomDirectory directory, EditHistory history) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public MessageView Message { get; private set; } = null!;
    public IReadOnlyList<MessageVersionView> Versions { get; private set; } = [];
    public bool IsHtmx => Request.Headers.ContainsKey("HX-Request");
    public string Permalink => MessageActions.PermalinkPath(Room.Slug, Message.Seq);

    public async Task<IActionResult> OnGetAsync(string slug, long seq)
    {
        var ct = HttpContext.RequestAborted;
        var room = await directory.FindReadableAsync(slug, User.UserId()!, ct);
        if (room is null || seq < 1)
            return NotFound();
        var found = await history.FindAsync(room.Id, seq, ct);
        if (found is null)
            return NotFound();
        (Room, Message, Versions) = (room, found.Message, found.Versions);
        // Who may read the room can change: never from a cache.
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}

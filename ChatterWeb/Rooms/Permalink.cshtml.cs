using ChatterWeb.Accounts;
using ChatterWeb.Messages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Rooms;

/// <summary>
/// <c>/rooms/{slug}/@{seq}</c>: the page around one message, scrolled to it and highlighted, with
/// "load older" above and "load newer" below. It is a reading view: no socket and no composer (the
/// page is not at the live end); the last "newer" step links to the live room.
/// </summary>
public sealed class PermalinkModel(RoomDirectory directory, MessageHistory history, MessageChanges changes) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public IReadOnlyList<RoomInfo> Rooms { get; private set; } = [];
    public MessageHistory.Page History { get; private set; } = null!;
    public long Seq { get; private set; }
    public bool CanModerate { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, long seq)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        var room = await directory.FindReadableAsync(slug, userId, ct);
        if (room is null || seq < 1)
            return NotFound();
        var page = await history.AroundAsync(room.Id, seq, ct);
        if (page is null)
            return NotFound();
        Room = room;
        Seq = seq;
        History = page;
        Rooms = await directory.ListVisibleAsync(userId, ct);
        CanModerate = await changes.IsRoomCreatorAsync(room.Id, userId, ct);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}

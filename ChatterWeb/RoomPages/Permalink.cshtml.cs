using ChatterWeb.Infrastructure;
using ChatterWeb.Messages;
using ChatterWeb.Notifications;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.RoomPages;

/// <summary>
/// <c>/rooms/{slug}/@{seq}</c>: the page around one message, scrolled to it and highlighted, with
/// "load older" above and "load newer" below. It is a reading view: no socket and no composer (the
/// page is not at the live end); the last "newer" step links to the live room.
/// </summary>
public sealed class PermalinkModel(RoomDirectory directory, MessageHistory history, Sidebar sidebar) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public RoomsNav Nav { get; private set; } = null!;
    public MessageHistory.Page History { get; private set; } = null!;
    public long Seq { get; private set; }
    public bool CanModerate { get; private set; }
    public bool CanPin { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, long seq)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        // The room, the viewer's right to read it and whether they created it: one read (as the room page does).
        var visit = await directory.VisitAsync(slug, userId, ct);
        if (visit is null || seq < 1)
            return NotFound();
        var page = await history.AroundAsync(visit.Room.Id, seq, ct);
        if (page is null)
            return NotFound();
        // a reply that is only in its thread is shown there
        if (page.Messages.FirstOrDefault(m => m.Seq == seq) is { ParentSeq: long parent, AlsoInRoom: false })
            return Redirect(MessageActions.ThreadPath(visit.Room.Slug, parent) + "#m-" + seq);
        Room = visit.Room;
        Seq = seq;
        History = page;
        Nav = await sidebar.LoadAsync(userId, Room.Slug, ct);
        CanModerate = DeleteMessage.SeesDeleteOnEvery(visit.Room, visit.IsCreator, User);
        CanPin = !visit.Archived && Pins.PinRights.SeesPin(visit.Room, visit.IsCreator, User);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }
}

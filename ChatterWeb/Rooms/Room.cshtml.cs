using ChatterWeb.Accounts;
using ChatterWeb.Messages;
using ChatterWeb.Presence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Rooms;

/// <summary><c>/rooms/{slug}</c>: the newest messages, who is here, and the composer.</summary>
public sealed class RoomModel(RoomDirectory directory, MessageHistory history, IPresence presence, MessageChanges changes) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public IReadOnlyList<RoomInfo> Rooms { get; private set; } = [];
    public MessageHistory.Page History { get; private set; } = null!;
    public IReadOnlyList<PresentUser> Present { get; private set; } = [];

    /// <summary>The room's change counter, read before the messages: resume replays edits and deletes after it.</summary>
    public long LastChangeSeq { get; private set; }

    /// <summary>The room's creator sees "Delete" on every message.</summary>
    public bool CanModerate { get; private set; }

    /// <summary>The viewer's read state before this visit (null: first visit), for the "new messages" divider.</summary>
    public (long LastReadSeq, ChatterWeb.Data.NotifyLevel Notify)? ReadBefore { get; private set; }

    [TempData]
    public string? ComposerError { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        var room = await directory.FindReadableAsync(slug, userId, ct);
        if (room is null)
            return NotFound();
        Room = room;
        ReadBefore = await HttpContext.RequestServices.GetRequiredService<ChatterWeb.Notifications.ReadState>().MembershipAsync(room.Id, userId, ct);
        await directory.EnsureMemberAsync(room.Id, userId, ct);
        Rooms = await directory.ListVisibleAsync(userId, ct);
        LastChangeSeq = await history.LastChangeSeqAsync(room.Id, ct);
        History = await history.BeforeAsync(room.Id, beforeSeq: null, ct);
        CanModerate = await changes.IsRoomCreatorAsync(room.Id, userId, ct);
        Present = await presence.InRoomAsync(room.Id, ct);
        return Page();
    }
}

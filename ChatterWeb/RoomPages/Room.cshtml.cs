using ChatterWeb.Infrastructure;
using ChatterWeb.Data;
using ChatterWeb.Messages;
using ChatterWeb.Notifications;
using ChatterWeb.Presence;
using ChatterWeb.Rooms;
using ChatterWeb.Threads;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChatterWeb.RoomPages;

/// <summary>
/// <c>/rooms/{slug}</c>: the newest messages, who is here, and the composer. Three reads on one open
/// connection: the room with the viewer's membership and the change counter, the sidebar (rooms with
/// unread counts; a fourth for the names of direct messages when the viewer has any), the messages.
/// </summary>
public sealed class RoomModel(IRequestConnection connection, RoomDirectory directory, Sidebar sidebar, MessageHistory history, IPresence presence,
    IOptions<CookieTempDataProviderOptions> tempData) : PageModel
{
    /// <summary>The TempData key a rejected no-JavaScript post (<see cref="MessagesModel"/>) leaves its error under.</summary>
    public const string ComposerErrorKey = "ComposerError";

    public RoomInfo Room { get; private set; } = null!;
    public RoomsNav Nav { get; private set; } = null!;
    public MessageHistory.Page History { get; private set; } = null!;
    public IReadOnlyList<PresentUser> Present { get; private set; } = [];

    /// <summary>The room's change counter, read before the messages: resume replays edits and deletes after it.</summary>
    public long LastChangeSeq { get; private set; }

    /// <summary>"Delete" shows on every message (<see cref="DeleteMessage.SeesDeleteOnEvery"/>).</summary>
    public bool CanModerate { get; private set; }

    /// <summary>The viewer's read state before this visit (null: first visit), for the "new messages" divider.</summary>
    public (long LastReadSeq, NotifyLevel Notify)? ReadBefore { get; private set; }

    /// <summary>Why the last no-JavaScript post was refused, shown once in the composer's status.</summary>
    public string? ComposerError { get; private set; }

    /// <summary>The thread open beside the room (<c>/rooms/{slug}/@{seq}/thread</c>); null on the room alone.</summary>
    public ThreadPane? Thread { get; private set; }

    /// <summary>"Pin" and "Unpin" show on every message (<see cref="Pins.PinRights.SeesPin"/>; never in an archived room).</summary>
    public bool CanPin { get; private set; }

    /// <summary>How many messages are pinned in the room (the header's link to them), read with <see cref="LastChangeSeq"/>.</summary>
    public int PinCount { get; private set; }

    /// <summary>Archived by an administrator: the page shows a notice instead of the composer.</summary>
    public bool IsArchived { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, [FromRoute] long? thread)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        await connection.OpenForReadsAsync(ct); // the page's reads on one connection where that pays (SQLite)
        var visit = await directory.VisitAsync(slug, userId, ct);
        if (visit is null)
            return NotFound();
        Room = visit.Room;
        ReadBefore = visit.Membership;
        if (visit.Membership is null)
            await directory.EnsureMemberAsync(Room.Id, userId, ct);
        LastChangeSeq = visit.LastChangeSeq; // read with the room, before the messages below
        CanModerate = DeleteMessage.SeesDeleteOnEvery(visit.Room, visit.IsCreator, User);
        IsArchived = visit.Archived;
        CanPin = !IsArchived && Pins.PinRights.SeesPin(visit.Room, visit.IsCreator, User);
        PinCount = visit.PinCount; // read with the change counter, in one statement
        Nav = await sidebar.LoadAsync(userId, Room.Slug, ct);
        History = await history.OpeningAsync(Room.Id, visit.BackToFirstUnread, ct); // back to the first unread message, within reason
        if (thread is long parentSeq)
        {
            var parent = parentSeq < 1 ? null : await history.BySeqAsync(Room.Id, parentSeq, ct);
            if (parent is null)
                return NotFound();
            if (parent.ParentSeq is long root) // a reply's thread is its first message's
                return Redirect(MessageActions.ThreadPath(Room.Slug, root) + "#m-" + parentSeq);
            var replies = await history.RepliesAsync(Room.Id, parentSeq, ThreadPane.MaxReplies, ct);
            Thread = new ThreadPane(Room.Slug, parent, replies);
        }
        Present = await presence.InRoomAsync(Room.Id, ct);
        // TempData only when the request brings its cookie. A [TempData] property loads and saves it on
        // every visit, and saving nothing answers every page with a Set-Cookie deleting a cookie the
        // browser does not have.
        if (Request.Cookies.ContainsKey(tempData.Value.Cookie.Name!))
            ComposerError = TempData[ComposerErrorKey] as string;
        return Page();
    }
}

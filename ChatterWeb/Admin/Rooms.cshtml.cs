using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Admin;

/// <summary><c>/admin/rooms</c>: every open and closed room; rename, archive (read-only, kept) and unarchive, delete (with its files), and a closed room's members.</summary>
public sealed class RoomsModel(RoomAdministration rooms, TimeProvider time) : AdminPage
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<RoomRow> Rooms { get; private set; } = [];
    public string? Status { get; private set; }

    public async Task OnGetAsync(string? done)
    {
        Status = done switch
        {
            "renamed" => "Renamed.",
            "archived" => "Archived: its messages stay readable, nothing can be posted or changed in it.",
            "unarchived" => "Unarchived: it is open for messages again.",
            "deleted" => "Deleted, with its messages and files.",
            "unchanged" => "Nothing to change: it was that way already.",
            "invalid" => "A room's name is 1 to 80 characters, without control characters.",
            "confirm" => "Tick the box to confirm the deletion: it cannot be undone.",
            _ => null,
        };
        Rooms = await rooms.ListAsync(Q, HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostRenameAsync(long id, string? name) =>
        After(await rooms.RenameAsync(id, name, HttpContext), "renamed");

    public async Task<IActionResult> OnPostArchiveAsync(long id) =>
        After(await rooms.SetArchivedAsync(id, true, HttpContext, time), "archived");

    public async Task<IActionResult> OnPostUnarchiveAsync(long id) =>
        After(await rooms.SetArchivedAsync(id, false, HttpContext, time), "unarchived");

    public async Task<IActionResult> OnPostDeleteAsync(long id, bool confirm) =>
        confirm ? After(await rooms.DeleteAsync(id, HttpContext), "deleted") : RedirectToPage(new { Q, done = "confirm" });

    private IActionResult After(AdminOutcome outcome, string done) => outcome switch
    {
        AdminOutcome.NotFound => NotFound(),
        AdminOutcome.Unchanged => RedirectToPage(new { Q, done = "unchanged" }),
        AdminOutcome.Invalid => RedirectToPage(new { Q, done = "invalid" }),
        _ => RedirectToPage(new { Q, done }),
    };
}

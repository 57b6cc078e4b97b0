using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Admin;

/// <summary><c>/admin/rooms/{id}/members</c>: an administrator adds people to a closed room by email, and removes them.</summary>
public sealed class RoomMembersModel(RoomAdministration rooms) : AdminPage
{
    public RoomRow Room { get; private set; } = null!;
    public IReadOnlyList<MemberInfo> Members { get; private set; } = [];
    public string? Status { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? done)
    {
        if (await rooms.FindAsync(id, HttpContext.RequestAborted) is not { Kind: Data.RoomKind.Closed } room)
            return NotFound();
        Room = room;
        Members = await rooms.MembersAsync(id, HttpContext.RequestAborted);
        Status = done switch
        {
            "added" => "Added.",
            "removed" => "Removed: their pages of this room have closed.",
            "nobody" => "There is no account with that email.",
            "unverified" => "That account has not confirmed its email address yet, so it cannot be added by it.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(long id, string? email) => (await rooms.AddMemberAsync(id, email, HttpContext)) switch
    {
        null => NotFound(),
        AddMemberResult.NoAccount => RedirectToPage(new { id, done = "nobody" }),
        AddMemberResult.Unverified => RedirectToPage(new { id, done = "unverified" }),
        _ => RedirectToPage(new { id, done = "added" }),
    };

    public async Task<IActionResult> OnPostRemoveAsync(long id, string? userId) => (await rooms.RemoveMemberAsync(id, userId, HttpContext)) switch
    {
        AdminOutcome.NotFound => NotFound(),
        _ => RedirectToPage(new { id, done = "removed" }),
    };
}

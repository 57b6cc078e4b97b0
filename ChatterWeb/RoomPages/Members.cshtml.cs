using ChatterWeb.Accounts;
using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.RoomPages;

/// <summary><c>/rooms/{slug}/members</c>: the member list (email addresses only to administrators and to each person their own); the creator of a closed room adds and removes people.</summary>
public sealed class MembersModel(RoomDirectory directory, RoomMembers members, Administrators admins) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public IReadOnlyList<RoomInfo> Rooms { get; private set; } = [];
    public IReadOnlyList<MemberInfo> Members { get; private set; } = [];
    public bool CanManage { get; private set; }
    public string? Error { get; private set; }

    private async Task<bool> LoadAsync(string slug)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        if (await directory.FindReadableAsync(slug, userId, ct) is not { } room)
            return false;
        Room = room;
        Rooms = await directory.ListVisibleAsync(userId, ct);
        Members = await members.ListAsync(room.Id, userId, await admins.IsAdministratorAsync(userId), ct); // emails: to administrators and to each person their own
        CanManage = await members.CanManageAsync(room.Id, userId, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string slug) => await LoadAsync(slug) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAddAsync(string slug, string? email)
    {
        if (!await LoadAsync(slug))
            return NotFound();
        if (!CanManage)
            return StatusCode(StatusCodes.Status403Forbidden);
        var added = string.IsNullOrWhiteSpace(email) ? AddMemberResult.NoAccount : await members.AddByEmailAsync(Room.Id, email, HttpContext.RequestAborted);
        if (added != AddMemberResult.Added)
        {
            Error = added == AddMemberResult.Unverified
                ? "That account has not confirmed its email address yet: ask them to follow the link in the mail ChatterWeb sent them."
                : "There is no account with that email.";
            return Page();
        }
        return Redirect($"/rooms/{Room.Slug}/members");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string slug, string? userId)
    {
        if (!await LoadAsync(slug))
            return NotFound();
        if (!CanManage)
            return StatusCode(StatusCodes.Status403Forbidden);
        if (!string.IsNullOrEmpty(userId) && userId != User.UserId())
            await members.RemoveAsync(Room.Id, userId, HttpContext.RequestAborted);
        return Redirect($"/rooms/{Room.Slug}/members");
    }
}

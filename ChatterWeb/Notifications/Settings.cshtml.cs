using ChatterWeb.Infrastructure;
using ChatterWeb.Data;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Notifications;

/// <summary>
/// <c>POST /rooms/{slug}/notifications</c>: this member's notification setting for the room
/// (everything / mentions only / nothing, or the default), stored on their membership. The room page's
/// form saves it in place (htmx: the answer is "Saved"); without JavaScript it posts and comes back.
/// </summary>
public sealed class SettingsModel(RoomDirectory directory, ReadState reads) : PageModel
{
    public IActionResult OnGet(string slug) => RoomDirectory.IsValidSlug(slug) ? Redirect($"/rooms/{slug}") : NotFound();

    public async Task<IActionResult> OnPostAsync(string slug, string? level)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        if (await directory.FindReadableAsync(slug, userId, ct) is not { } room)
            return NotFound();
        if (!Enum.TryParse<NotifyLevel>(level, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(level, out _))
            return BadRequest("level must be Default, Everything, Mentions or Nothing.");
        await directory.EnsureMemberAsync(room.Id, userId, ct);
        await reads.SetNotifyAsync(room.Id, userId, parsed, ct);
        // From the room page's script (htmx): saved in place, the page and its draft untouched.
        if (Request.Headers.ContainsKey("HX-Request"))
            return Content("Saved", "text/plain; charset=utf-8");
        return Redirect($"/rooms/{room.Slug}");
    }
}

using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Messages;

/// <summary><c>/rooms/{slug}/messages/{seq}/edit</c>: the form (GET) and the edit (POST, antiforgery checked).</summary>
public sealed class EditModel(RoomDirectory directory, MessageChanges changes, EditMessageHandler edit) : ChangePage(directory, changes)
{
    public string Body { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, long seq)
    {
        var target = await LoadAsync(slug, seq);
        if (target is null)
            return NotFound();
        if (!EditMessage.May(target, User.UserId()))
            return StatusCode(StatusCodes.Status403Forbidden, EditMessage.NotYoursError);
        Body = target.Body;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, long seq, string? body)
    {
        if (await LoadAsync(slug, seq) is null)
            return NotFound();
        Body = body ?? "";
        return Answer(await edit.HandleAsync(new EditMessage(Room, seq, User.UserId()!, body), HttpContext.RequestAborted));
    }
}

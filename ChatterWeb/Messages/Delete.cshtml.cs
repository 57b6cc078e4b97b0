using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Messages;

/// <summary><c>/rooms/{slug}/messages/{seq}/delete</c>: the confirmation (GET) and the delete (POST, antiforgery checked).</summary>
public sealed class DeleteModel(RoomDirectory directory, MessageChanges changes, DeleteMessageHandler delete) : ChangePage(directory, changes)
{
    public string Body { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, long seq)
    {
        var target = await LoadAsync(slug, seq);
        if (target is null)
            return NotFound();
        if (!DeleteMessage.May(target, User.UserId()))
            return StatusCode(StatusCodes.Status403Forbidden, DeleteMessage.NotAllowedError);
        Body = target.Body;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, long seq)
    {
        if (await LoadAsync(slug, seq) is not { } target)
            return NotFound();
        Body = target.Body;
        return Answer(await delete.HandleAsync(new DeleteMessage(Room, seq, User.UserId()!), HttpContext.RequestAborted));
    }
}

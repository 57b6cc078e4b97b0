using ChatterWeb.Accounts;
using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Messages;

/// <summary><c>/rooms/{slug}/messages/{seq}/delete</c>: the confirmation (GET) and the delete (POST, antiforgery checked).</summary>
public sealed class DeleteModel(RoomDirectory directory, MessageChanges changes, DeleteMessageHandler delete, Administrators admins) : ChangePage(directory, changes)
{
    public string Body { get; private set; } = "";

    /// <summary>An administrator deleting a message they could not delete otherwise (<see cref="DeleteMessage.IsModeration"/>).</summary>
    public bool Moderation { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, long seq)
    {
        var target = await LoadAsync(slug, seq);
        if (target is null)
            return NotFound();
        var administrator = await admins.IsAdministratorAsync(User.UserId());
        if (!DeleteMessage.May(Room, target, User.UserId(), administrator))
            return StatusCode(StatusCodes.Status403Forbidden, DeleteMessage.NotAllowedError);
        Body = target.Body;
        Moderation = DeleteMessage.IsModeration(Room, target, User.UserId()!, administrator);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, long seq)
    {
        if (await LoadAsync(slug, seq) is not { } target)
            return NotFound();
        Body = target.Body;
        var administrator = await admins.IsAdministratorAsync(User.UserId());
        return Answer(await delete.HandleAsync(new DeleteMessage(Room, seq, User.UserId()!, administrator), HttpContext.RequestAborted));
    }
}

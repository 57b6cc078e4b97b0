using ChatterWeb.Infrastructure;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;

namespace ChatterWeb.Pins;

/// <summary>
/// <c>/rooms/{slug}/messages/{seq}/pin</c>: without JavaScript, the message's "Pin" or "Unpin" opens
/// this page (GET); its form posts here (antiforgery checked; field <c>pinned</c> true or false, or
/// none to toggle) and lands on the message's permalink. With JavaScript, pins.mjs sends a socket frame.
/// </summary>
public sealed class PinModel(RoomDirectory directory, MessageChanges changes, MessageHistory history, PinRights rights, PinHandler pins)
    : ChangePage(directory, changes)
{
    public MessageView Message { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, long seq)
    {
        if (await LoadAsync(slug, seq) is not { } target || await history.ByIdAsync(target.Id, HttpContext.RequestAborted) is not { } message)
            return NotFound();
        if (!await rights.MayPinAsync(Room, User.UserId()!, HttpContext.RequestAborted))
            return StatusCode(StatusCodes.Status403Forbidden, PinMessage.NotAllowedError);
        Message = message;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, long seq, bool? pinned)
    {
        if (await LoadAsync(slug, seq) is not { } target || await history.ByIdAsync(target.Id, HttpContext.RequestAborted) is not { } message)
            return NotFound();
        Message = message;
        return Answer(await pins.HandleAsync(new PinMessage(Room, User.UserId()!, seq, pinned), HttpContext.RequestAborted));
    }
}

using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using ChatterWeb.Messages;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Reactions;

/// <summary>
/// <c>/rooms/{slug}/messages/{seq}/reactions</c>: the picker without JavaScript (GET, <c>?q=</c>
/// searches the set by name) and the toggle (POST, form field <c>emoji</c>, antiforgery checked),
/// which lands on the message's permalink. The reactions under a message post here too.
/// </summary>
public sealed class ReactionsModel(RoomDirectory directory, MessageChanges changes, MessageHistory history, ReactionHandler reactions) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public MessageView Message { get; private set; } = null!;
    public string? Query { get; private set; }
    public string? Error { get; private set; }
    public IReadOnlyList<(string Emoji, string Name)> Choices { get; private set; } = [];
    public string Permalink => MessageActions.PermalinkPath(Room.Slug, Message.Seq);

    public async Task<IActionResult> OnGetAsync(string slug, long seq, string? q)
    {
        if (!await LoadAsync(slug, seq))
            return NotFound();
        Query = q is { Length: > 64 } ? q[..64] : q;
        Choices = [.. ReactionEmoji.Search(Query)];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, long seq, string? emoji)
    {
        if (!await LoadAsync(slug, seq))
            return NotFound();
        var result = await reactions.HandleAsync(new ToggleReaction(Room, User.UserId()!, User.DisplayName(), seq, emoji), HttpContext.RequestAborted);
        switch (result)
        {
            case ReactionResult.Changed or ReactionResult.Unchanged:
                return Redirect(Permalink);
            case ReactionResult.Refused refused:
                Error = refused.Error;
                Choices = ReactionEmoji.All;
                Response.StatusCode = refused.Status;
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task<bool> LoadAsync(string slug, long seq)
    {
        var room = await directory.FindReadableAsync(slug, User.UserId()!, HttpContext.RequestAborted);
        if (room is null || seq < 1)
            return false;
        Room = room;
        Response.Headers.CacheControl = "no-store";
        var target = await changes.FindAsync(room.Id, seq, HttpContext.RequestAborted);
        if (target is not { Deleted: false } || await history.ByIdAsync(target.Id, HttpContext.RequestAborted) is not { } message)
            return false;
        Message = message;
        return true;
    }
}

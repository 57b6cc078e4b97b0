using ChatterWeb.Infrastructure;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Integrations;

/// <summary>
/// <c>/rooms/{slug}/integrations</c>: the room's incoming webhooks, for its managers
/// (<see cref="RoomManagers"/>; 404 for everyone else). A new or regenerated hook's URL is on the
/// answer to that POST only: it is never stored, so it cannot be shown again.
/// </summary>
public sealed class RoomIntegrationsModel(RoomDirectory directory, RoomManagers managers, IncomingWebhooks hooks) : PageModel
{
    public RoomInfo Room { get; private set; } = null!;
    public IReadOnlyList<RoomInfo> Rooms { get; private set; } = [];
    public IReadOnlyList<HookRow> Hooks { get; private set; } = [];

    /// <summary>Set once, on the answer to a create or regenerate: the hook's name and its URL.</summary>
    public (string Name, string Url)? Revealed { get; private set; }
    public string? Error { get; private set; }
    public string? Notice { get; private set; }

    private async Task<bool> LoadAsync(string slug)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        if (await directory.FindReadableAsync(slug, userId, ct) is not { } room || !await managers.CanManageAsync(room.Id, userId, ct))
            return false;
        Room = room;
        Rooms = await directory.ListVisibleAsync(userId, ct);
        Hooks = await hooks.ListAsync(room.Id, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string slug, string? done)
    {
        if (!await LoadAsync(slug))
            return NotFound();
        Notice = done switch { "renamed" => "Renamed.", "deleted" => "Deleted.", _ => null };
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(string slug, string? name, string? avatar)
    {
        if (!await LoadAsync(slug))
            return NotFound();
        var (avatarOk, chosen) = Data.AvatarEmoji.Parse(avatar);
        if (BotAccounts.CleanName(name) is not { } clean || !avatarOk)
        {
            Error = avatarOk ? "Give the webhook a name of 1 to 64 characters." : Data.AvatarEmoji.RefusedError;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var (hook, token) = await hooks.CreateAsync(Room, clean, chosen, User.UserId()!, HttpContext.RequestAborted);
        Hooks = await hooks.ListAsync(Room.Id, HttpContext.RequestAborted);
        Revealed = (hook.Name, UrlOf(token));
        return Page();
    }

    /// <summary>A new name and avatar; a form without the avatar field keeps the avatar it has.</summary>
    public async Task<IActionResult> OnPostRenameAsync(string slug, long id, string? name, string? avatar)
    {
        if (!await LoadAsync(slug))
            return NotFound();
        var (avatarOk, chosen) = Data.AvatarEmoji.Parse(avatar);
        if (BotAccounts.CleanName(name) is not { } clean || !avatarOk)
        {
            Error = avatarOk ? "Give the webhook a name of 1 to 64 characters." : Data.AvatarEmoji.RefusedError;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        if (!Request.Form.ContainsKey("avatar"))
            chosen = Hooks.FirstOrDefault(h => h.Id == id)?.Avatar;
        return await hooks.RenameAsync(Room.Id, id, clean, chosen, HttpContext.RequestAborted)
            ? Redirect($"/rooms/{Room.Slug}/integrations?done=renamed") : NotFound();
    }

    public async Task<IActionResult> OnPostRegenerateAsync(string slug, long id)
    {
        if (!await LoadAsync(slug))
            return NotFound();
        if (await hooks.RegenerateAsync(Room.Id, id, HttpContext.RequestAborted) is not { } token)
            return NotFound();
        Revealed = (Hooks.First(h => h.Id == id).Name, UrlOf(token));
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string slug, long id)
    {
        if (!await LoadAsync(slug))
            return NotFound();
        return await hooks.DeleteAsync(Room.Id, id, HttpContext.RequestAborted)
            ? Redirect($"/rooms/{Room.Slug}/integrations?done=deleted") : NotFound();
    }

    private string UrlOf(string token) => $"{Request.Scheme}://{Request.Host}/hooks/{token}";
}

using ChatterWeb.Admin;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Bots;

/// <summary>
/// <c>/admin/bots</c> (administrators only; 404 for everyone else): the bots, and a form to make one
/// (name, avatar, webhook URL, signing secret, commands, rooms). The secret is on the answer to that POST only.
/// </summary>
public sealed class AdminBotsModel(BotDirectory bots, IOptionsMonitor<BotOptions> options) : AdminPage
{
    public IReadOnlyList<BotRow> Bots { get; private set; } = [];
    public IReadOnlyList<BotRoom> RoomChoices { get; private set; } = [];
    public IReadOnlyList<string> AllowedHosts => options.CurrentValue.AllowedHosts;

    [BindProperty] public string? BotName { get; set; }
    [BindProperty] public string? BotAvatar { get; set; }
    [BindProperty] public string? BotUrl { get; set; }
    [BindProperty] public string? BotSecret { get; set; }
    [BindProperty] public string? BotCommands { get; set; }
    [BindProperty] public long[] BotRooms { get; set; } = [];

    /// <summary>Set once, on the answer to a create: the new bot and its secret.</summary>
    public (BotRow Bot, string Secret)? Revealed { get; private set; }
    public string? Error { get; private set; }
    public string? Notice { get; private set; }

    private async Task LoadAsync()
    {
        Bots = await bots.ListAsync(HttpContext.RequestAborted);
        RoomChoices = await bots.RoomChoicesAsync(HttpContext.RequestAborted);
    }

    public async Task OnGetAsync(string? done)
    {
        await LoadAsync();
        Notice = done == "deleted" ? "Deleted: the bot is out of its rooms and its tokens no longer work." : null;
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var (name, nameError) = BotForm.Name(BotName);
        var (url, urlError) = BotForm.Url(BotUrl, options.CurrentValue);
        var (commands, commandsError) = BotForm.Commands(BotCommands);
        var (secret, secretError) = BotForm.Secret(BotSecret);
        var (avatarOk, avatar) = Data.AvatarEmoji.Parse(BotAvatar);
        Error = nameError ?? (avatarOk ? null : Data.AvatarEmoji.RefusedError) ?? urlError ?? commandsError ?? secretError;
        if (Error is not null)
        {
            await LoadAsync();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var bot = await bots.CreateAsync(name!, avatar, url!, secret!, commands!, BotRooms, User.UserId()!, HttpContext.RequestAborted);
        await LoadAsync();
        Response.Headers.CacheControl = "no-store"; // the one answer that holds the secret
        Revealed = (bot, secret!);
        BotName = BotAvatar = BotUrl = BotSecret = BotCommands = null;
        BotRooms = [];
        ModelState.Clear();
        return Page();
    }
}

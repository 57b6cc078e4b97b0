using ChatterWeb.Admin;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Bots;

/// <summary>
/// <c>/admin/bots/{id}</c> (administrators only; 404 for everyone else): one bot's webhook (URL,
/// commands, rooms), a new signing secret, its API tokens, its delivery log, and deleting it. A new
/// secret or token is on the answer to its POST only.
/// </summary>
public sealed class AdminBotModel(BotDirectory bots, BotTokens tokens, IOptionsMonitor<BotOptions> options) : AdminPage
{
    public const int LogLines = 50;

    public BotRow Bot { get; private set; } = null!;
    public IReadOnlyList<BotRoom> RoomChoices { get; private set; } = [];
    public IReadOnlyList<BotTokenRow> Tokens { get; private set; } = [];
    public IReadOnlyList<BotLogLine> Log { get; private set; } = [];
    public IReadOnlyList<string> AllowedHosts => options.CurrentValue.AllowedHosts;

    /// <summary>Set once, on the answer to a new secret or token: what it is for, and the value.</summary>
    public (string What, string Value)? Revealed { get; private set; }
    public string? Error { get; private set; }
    public string? Notice { get; private set; }

    private async Task<bool> LoadAsync(long id)
    {
        var ct = HttpContext.RequestAborted;
        if (await bots.FindAsync(id, ct) is not { } bot)
            return false;
        Bot = bot;
        RoomChoices = await bots.RoomChoicesAsync(ct);
        Tokens = await tokens.ListAsync(bot.UserId, ct);
        Log = await bots.LogAsync(bot.Id, LogLines, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(long id, string? done)
    {
        if (!await LoadAsync(id))
            return NotFound();
        Notice = done switch { "saved" => "Saved.", "revoked" => "Revoked: the token no longer works.", _ => null };
        return Page();
    }

    /// <summary>A new avatar, URL, commands and rooms; a form without the avatar field keeps the avatar it has.</summary>
    public async Task<IActionResult> OnPostUpdateAsync(long id, string? avatar, string? url, string? commands, long[]? rooms)
    {
        if (!await LoadAsync(id))
            return NotFound();
        var (avatarOk, chosen) = Data.AvatarEmoji.Parse(avatar);
        var (cleanUrl, urlError) = BotForm.Url(url, options.CurrentValue);
        var (cleanCommands, commandsError) = BotForm.Commands(commands);
        if ((Error = (avatarOk ? null : Data.AvatarEmoji.RefusedError) ?? urlError ?? commandsError) is not null)
            return Refused();
        if (!Request.Form.ContainsKey("avatar"))
            chosen = Bot.Avatar;
        await bots.UpdateAsync(id, chosen, cleanUrl!, cleanCommands!, rooms ?? [], HttpContext.RequestAborted);
        return Redirect($"/admin/bots/{id}?done=saved");
    }

    public async Task<IActionResult> OnPostSecretAsync(long id, string? secret)
    {
        if (!await LoadAsync(id))
            return NotFound();
        var (clean, error) = BotForm.Secret(secret);
        if ((Error = error) is not null)
            return Refused();
        await bots.ReplaceSecretAsync(id, clean!, HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        Revealed = ("The new signing secret", clean!);
        return Page();
    }

    public async Task<IActionResult> OnPostTokenAsync(long id, string? name, string[]? scopes)
    {
        if (!await LoadAsync(id))
            return NotFound();
        var clean = Integrations.BotAccounts.CleanName(name);
        var scope = BotTokens.Scopes(scopes ?? []);
        Error = clean is null ? "Give the token a name of 1 to 64 characters."
            : scope.Length == 0 ? "Choose what the token may do: read, post or both."
            : Tokens.Count >= BotTokens.MaxPerBot ? $"The bot has {BotTokens.MaxPerBot} tokens: revoke one first."
            : null;
        if (Error is not null)
            return Refused();
        var (row, token) = await tokens.CreateAsync(Bot.UserId, clean!, scope, HttpContext.RequestAborted);
        Tokens = await tokens.ListAsync(Bot.UserId, HttpContext.RequestAborted);
        Response.Headers.CacheControl = "no-store";
        Revealed = ($"The API token “{row.Name}”", token);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, long tokenId)
    {
        if (!await LoadAsync(id))
            return NotFound();
        return await tokens.RevokeAsync(Bot.UserId, tokenId, HttpContext.RequestAborted) ? Redirect($"/admin/bots/{id}?done=revoked") : NotFound();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id) =>
        await bots.DeleteAsync(id, HttpContext.RequestAborted) ? Redirect("/admin/bots?done=deleted") : NotFound();

    public static string Describe(Data.BotDeliveryOutcome outcome) => outcome switch
    {
        Data.BotDeliveryOutcome.Delivered => "delivered",
        Data.BotDeliveryOutcome.Replied => "replied",
        Data.BotDeliveryOutcome.Failed => "failed",
        Data.BotDeliveryOutcome.CircuitOpen => "paused (breaker open)",
        _ => "host not allowed",
    };

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}

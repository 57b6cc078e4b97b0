using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Integrations.Api;

/// <summary>
/// <c>/Account/Tokens</c>: a person's API tokens. A new token is on the answer to its POST only (only
/// its hash is stored); revoking deletes it at once.
/// </summary>
public sealed class TokensModel(ApiTokens tokens, TimeProvider time) : PageModel
{
    public IReadOnlyList<ApiTokenRow> Tokens { get; private set; } = [];
    public (string Name, string Token)? Revealed { get; private set; }
    public string? Error { get; private set; }
    public string? Notice { get; private set; }

    /// <summary>The expiry choices, in days (0: never).</summary>
    public static readonly int[] ExpiryDays = [30, 90, 365, 0];

    public async Task OnGetAsync(string? done)
    {
        Tokens = await tokens.ListAsync(User.UserId()!, HttpContext.RequestAborted);
        Notice = done == "revoked" ? "Revoked: the token no longer works." : null;
    }

    public async Task<IActionResult> OnPostCreateAsync(string? name, string[]? scopes, int? expiresInDays)
    {
        var userId = User.UserId()!;
        var ct = HttpContext.RequestAborted;
        Tokens = await tokens.ListAsync(userId, ct);
        var clean = BotAccounts.CleanName(name);
        var scope = ApiScopes.Normalize(scopes ?? []);
        Error = clean is null ? "Give the token a name of 1 to 64 characters."
            : scope.Length == 0 ? "Choose what the token may do: read, post or both."
            : expiresInDays is not { } days || !ExpiryDays.Contains(days) ? "Choose when the token expires."
            : Tokens.Count >= ApiTokens.MaxPerAccount ? $"You have {ApiTokens.MaxPerAccount} tokens: revoke one first."
            : null;
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var expires = expiresInDays is > 0 ? time.GetUtcNow().AddDays(expiresInDays.Value) : (DateTimeOffset?)null;
        var (row, token) = await tokens.CreateAsync(userId, clean!, scope, expires, ct);
        // The one answer that holds the token: kept by no cache, and gone on reload.
        Response.Headers.CacheControl = "no-store";
        Tokens = await tokens.ListAsync(userId, ct);
        Revealed = (row.Name, token);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id) =>
        await tokens.RevokeAsync(User.UserId()!, id, HttpContext.RequestAborted) ? Redirect("/Account/Tokens?done=revoked") : NotFound();
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Integrations.Api;

/// <summary>
/// <c>Authorization: Bearer cwt_…</c> for <c>/api</c> only: the API's policies name this scheme and
/// no other, so the session cookie never authenticates an API call (no CSRF surface), and pages use
/// the cookie alone, so a token never opens a page. A refusal is problem details: 401 with
/// <c>WWW-Authenticate: Bearer</c>, or 403 when the token lacks the scope.
/// </summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string BotClaim = "chatter:bot";

    /// <summary>A bot's chosen avatar (<see cref="Data.ChatUser.Avatar"/>), worn by what it posts through the API.</summary>
    public const string AvatarClaim = "chatter:avatar";
    public const string TokenIdClaim = "chatter:token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("Only Bearer tokens are accepted.");
        var caller = await tokens.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (caller is null)
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.UserId),
            new(UserClaims.DisplayNameClaim, caller.DisplayName),
            new(TokenIdClaim, caller.TokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (caller.IsBot)
            claims.Add(new(BotClaim, "true"));
        if (caller.Avatar is not null)
            claims.Add(new(AvatarClaim, caller.Avatar));
        claims.AddRange(caller.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(ApiScopes.ClaimType, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await ApiProblem.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? "Send a personal API token: Authorization: Bearer <token> (make one on /Account/Tokens).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer error=\"insufficient_scope\"";
        return ApiProblem.WriteAsync(Context, StatusCodes.Status403Forbidden, "Forbidden", "The token does not have the scope this call needs.");
    }
}

using System.Security.Claims;
using ChatterWeb.Accounts.Audit;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

/// <summary>
/// Identity's sign-in manager with two additions.
/// <list type="bullet">
/// <item>A deactivated account (<see cref="ChatUser.DeactivatedAt"/>) never gets a cookie, whichever way
/// it comes in: a password sign-in is "not allowed" before its password is even checked (the sign-in
/// page then says what it says for a wrong password), and every other sign-in (directory, sign-up, a
/// refresh after a password change) is dropped where the cookie would be written.</item>
/// <item>Every password sign-in of an account is written to the audit trail: signed in, failed (and
/// why), locked out.</item>
/// </list>
/// </summary>
public sealed class ChatterSignInManager(
    UserManager<ChatUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ChatUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ChatUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ChatUser> confirmation,
    AuditTrail audit)
    : SignInManager<ChatUser>(users, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(ChatUser user) =>
        user.DeactivatedAt is null && await base.CanSignInAsync(user);

    public override Task SignInWithClaimsAsync(ChatUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims) =>
        user.DeactivatedAt is null ? base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims) : Task.CompletedTask;

    public override async Task<SignInResult> PasswordSignInAsync(ChatUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        var (action, detail) =
            result.Succeeded ? (AuditActions.SignedIn, "password") :
            result.IsLockedOut ? (AuditActions.LockedOut, "") :
            result.IsNotAllowed ? (AuditActions.SignInFailed, user.DeactivatedAt is not null ? "deactivated" : "not allowed") :
            (AuditActions.SignInFailed, "wrong password");
        await audit.RecordAsync(action, Context, user.Id, user.Email ?? "", detail, actorId: result.Succeeded ? user.Id : null);
        return result;
    }
}

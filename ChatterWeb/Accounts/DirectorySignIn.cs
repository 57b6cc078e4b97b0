using ChatterWeb.Accounts.Audit;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Accounts;

/// <summary>What became of a directory sign-in.</summary>
public abstract record DirectoryOutcome
{
    public sealed record SignedIn : DirectoryOutcome;

    /// <summary>A local account has the same (verified) email: its owner must give its password once to link it.</summary>
    public sealed record NeedsLink : DirectoryOutcome;

    /// <summary>Nothing was created or changed; <paramref name="Message"/> says why, to someone the directory has just vouched for.</summary>
    public sealed record Refused(string Message) : DirectoryOutcome;
}

/// <summary>
/// Turns a person a directory vouched for into a signed-in account, the same way for OpenID Connect
/// and LDAP: the account already linked to that directory key signs in (its name and directory admin
/// role follow the directory); otherwise only a verified email provisions a new account, and an
/// existing local account with that email is linked only once its owner gives its password.
/// </summary>
public sealed partial class DirectorySignIn(
    UserManager<ChatUser> users,
    SignInManager<ChatUser> signIn,
    Administrators admins,
    AuditTrail audit,
    ILogger<DirectorySignIn> logger)
{
    public async Task<DirectoryOutcome> CompleteAsync(DirectoryIdentity id, string? idToken)
    {
        var user = await users.FindByLoginAsync(id.Provider, id.Key);
        if (user is null)
        {
            if (string.IsNullOrWhiteSpace(id.Email))
                return new DirectoryOutcome.Refused($"Your {id.ProviderName} account has no email address, and ChatterWeb needs one. Ask whoever runs the directory to add it.");
            if (!id.EmailVerified)
                return new DirectoryOutcome.Refused($"{id.ProviderName} does not say that your email address is verified, so ChatterWeb will not create or link an account with it. Ask whoever runs the directory.");
            if (await users.FindByEmailAsync(id.Email) is not null)
                return await LinkableAccountAsync(id) is not null
                    ? new DirectoryOutcome.NeedsLink()
                    : new DirectoryOutcome.Refused("An account with this email address already exists and signs in another way. Ask an administrator.");
            user = await ProvisionAsync(id);
            if (user is null)
                return new DirectoryOutcome.Refused("ChatterWeb could not create your account just now. Try again.");
        }
        if (user.DeactivatedAt is not null)
        {
            await audit.RecordAsync(AuditActions.SignInFailed, signIn.Context, user.Id, user.Email ?? "", $"deactivated ({id.ProviderName})");
            return new DirectoryOutcome.Refused(Deactivated);
        }
        await SignInAsync(user, id, idToken);
        return new DirectoryOutcome.SignedIn();
    }

    public const string Deactivated = "Your ChatterWeb account has been deactivated by an administrator.";

    /// <summary>Whether the local account with the identity's email may be linked by its password (it has one and no directory sign-in yet).</summary>
    public async Task<ChatUser?> LinkableAccountAsync(DirectoryIdentity id)
    {
        if (id.Email is null || !id.EmailVerified || await users.FindByEmailAsync(id.Email) is not { } user)
            return null;
        return await users.HasPasswordAsync(user) && (await users.GetLoginsAsync(user)).Count == 0 ? user : null;
    }

    /// <summary>
    /// Links the account to the directory once its password was checked: from now on the directory is
    /// its only way in (the local password is removed, so someone removed from the directory cannot
    /// come back with it).
    /// </summary>
    public async Task<bool> LinkAsync(ChatUser user, DirectoryIdentity id, string? idToken)
    {
        var added = await users.AddLoginAsync(user, new UserLoginInfo(id.Provider, id.Key, id.ProviderName));
        if (!added.Succeeded)
            return false;
        var removed = await users.RemovePasswordAsync(user);
        if (!removed.Succeeded)
        {
            await users.RemoveLoginAsync(user, id.Provider, id.Key);
            return false;
        }
        LogLinked(user.Id, id.Provider);
        await SignInAsync(user, id, idToken);
        return true;
    }

    private async Task<ChatUser?> ProvisionAsync(DirectoryIdentity id)
    {
        var user = new ChatUser { UserName = id.Email, Email = id.Email, EmailConfirmed = true, DisplayName = id.DisplayName() };
        var created = await users.CreateAsync(user); // no password: the directory is the only way in
        if (!created.Succeeded)
        {
            LogNotCreated(id.Provider, string.Join("; ", created.Errors.Select(e => e.Code)));
            return null;
        }
        var linked = await users.AddLoginAsync(user, new UserLoginInfo(id.Provider, id.Key, id.ProviderName));
        if (!linked.Succeeded)
        {
            await users.DeleteAsync(user); // nothing half-made
            LogNotCreated(id.Provider, string.Join("; ", linked.Errors.Select(e => e.Code)));
            return null;
        }
        await admins.OnAccountCreatedAsync(user);
        LogProvisioned(user.Id, id.Provider);
        return user;
    }

    private async Task SignInAsync(ChatUser user, DirectoryIdentity id, string? idToken)
    {
        var name = id.DisplayName();
        if (id.Name is not null && name != user.DisplayName)
        {
            user.DisplayName = name;
            await users.UpdateAsync(user);
        }
        await admins.SetDirectoryAdminAsync(user, id.IsAdmin);
        var properties = new AuthenticationProperties();
        // Kept for sign-out, which asks the IdP to end its session too (id_token_hint).
        if (idToken is not null)
            properties.StoreTokens([new AuthenticationToken { Name = "id_token", Value = idToken }]);
        await signIn.SignInAsync(user, properties, id.Provider);
        await audit.RecordAsync(AuditActions.SignedIn, signIn.Context, user.Id, user.Email ?? "", id.ProviderName, actorId: user.Id);
        await DirectoryIdentity.ForgetAsync(signIn.Context);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Directory sign-in ({Provider}) created the account {UserId}")]
    private partial void LogProvisioned(string userId, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "The account {UserId} now signs in through the directory ({Provider}) only")]
    private partial void LogLinked(string userId, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Directory sign-in ({Provider}) could not create an account: {Errors}")]
    private partial void LogNotCreated(string provider, string errors);
}

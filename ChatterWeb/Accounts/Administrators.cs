using System.Security.Claims;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Accounts;

/// <summary>
/// Who is an administrator, from three sources: the first account of an empty database (the stored
/// role <see cref="Role"/>), the emails in <c>Chatter:Accounts:Admins</c> (read at each check, never
/// stored), and the directory's admin groups (the role <see cref="DirectoryRole"/>, set again at every
/// directory sign-in, so leaving the group takes it away).
/// </summary>
public sealed class Administrators(UserManager<ChatUser> users, RoleManager<IdentityRole> roles, IOptions<AccountsOptions> options)
{
    public const string Role = "Administrator";
    public const string DirectoryRole = "DirectoryAdministrator";

    public enum Reason { FirstAccount, Configured, DirectoryGroup }

    public sealed record Entry(string UserId, string DisplayName, string Email, Reason Why);

    /// <summary>The cookie says so (for showing a link; access is checked with <see cref="IsAdministratorAsync"/>).</summary>
    public static bool InClaims(ClaimsPrincipal user) => user.IsInRole(Role) || user.IsInRole(DirectoryRole);

    public bool IsConfigured(string? email) =>
        email is not null && options.Value.AdminList.Contains(email, StringComparer.OrdinalIgnoreCase);

    /// <summary>Read from the database on every call: a role taken away counts at once, not when the cookie is renewed.</summary>
    public async Task<bool> IsAdministratorAsync(string? userId)
    {
        if (userId is null || await users.FindByIdAsync(userId) is not { } user)
            return false;
        return IsConfigured(user.Email) || await users.IsInRoleAsync(user, Role) || await users.IsInRoleAsync(user, DirectoryRole);
    }

    public async Task<IReadOnlyList<Entry>> ListAsync()
    {
        var found = new Dictionary<string, Entry>();
        foreach (var (role, why) in new[] { (Role, Reason.FirstAccount), (DirectoryRole, Reason.DirectoryGroup) })
        {
            foreach (var user in await users.GetUsersInRoleAsync(role))
                found.TryAdd(user.Id, new Entry(user.Id, user.DisplayName, user.Email ?? "", why));
        }
        var configured = options.Value.AdminList.Select(e => e.ToUpperInvariant()).ToList();
        if (configured.Count > 0)
        {
            foreach (var user in await users.Users.Where(u => configured.Contains(u.NormalizedEmail!)).ToListAsync())
                found.TryAdd(user.Id, new Entry(user.Id, user.DisplayName, user.Email ?? "", Reason.Configured));
        }
        return [.. found.Values.OrderBy(e => e.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>
    /// Called right after an account is created: the only account of the database becomes an
    /// administrator. (Two sign-ups in the same instant on an empty database both see two accounts:
    /// neither is made one; <c>Chatter:Accounts:Admins</c> covers that.)
    /// </summary>
    public async Task OnAccountCreatedAsync(ChatUser user)
    {
        if (await users.Users.CountAsync() != 1)
            return;
        await EnsureRoleAsync(Role);
        await users.AddToRoleAsync(user, Role);
    }

    /// <summary>Why the account is an administrator (several reasons can hold at once), or none.</summary>
    public async Task<IReadOnlyList<Reason>> ReasonsAsync(ChatUser user)
    {
        var reasons = new List<Reason>();
        if (await users.IsInRoleAsync(user, Role))
            reasons.Add(Reason.FirstAccount);
        if (IsConfigured(user.Email))
            reasons.Add(Reason.Configured);
        if (await users.IsInRoleAsync(user, DirectoryRole))
            reasons.Add(Reason.DirectoryGroup);
        return reasons;
    }

    /// <summary>
    /// Gives the stored role <see cref="Role"/> (what <c>/admin/people</c> grants and revokes); false when
    /// the account had it already.
    /// </summary>
    public async Task<bool> GrantAsync(ChatUser user)
    {
        if (await users.IsInRoleAsync(user, Role))
            return false;
        await EnsureRoleAsync(Role);
        return (await users.AddToRoleAsync(user, Role)).Succeeded;
    }

    /// <summary>
    /// Takes the stored role away; false when the account did not have it. The other two sources are
    /// not touched: an address in <c>Chatter:Accounts:Admins</c> or a directory admin group still make
    /// the account an administrator (<see cref="ReasonsAsync"/> says which).
    /// </summary>
    public async Task<bool> RevokeAsync(ChatUser user)
    {
        if (!await users.IsInRoleAsync(user, Role))
            return false;
        return (await users.RemoveFromRoleAsync(user, Role)).Succeeded;
    }

    /// <summary>At each directory sign-in: in the admin group or not, as the directory says now.</summary>
    public async Task SetDirectoryAdminAsync(ChatUser user, bool admin)
    {
        var isNow = await users.IsInRoleAsync(user, DirectoryRole);
        if (admin && !isNow)
        {
            await EnsureRoleAsync(DirectoryRole);
            await users.AddToRoleAsync(user, DirectoryRole);
        }
        else if (!admin && isNow)
        {
            await users.RemoveFromRoleAsync(user, DirectoryRole);
        }
    }

    private async Task EnsureRoleAsync(string role)
    {
        if (await roles.RoleExistsAsync(role))
            return;
        var created = await roles.CreateAsync(new IdentityRole(role));
        // Another instance (or request) may have created it meanwhile: only its absence is an error.
        if (!created.Succeeded && !await roles.RoleExistsAsync(role))
            throw new InvalidOperationException($"The role {role} could not be created: {string.Join("; ", created.Errors.Select(e => e.Description))}");
    }
}

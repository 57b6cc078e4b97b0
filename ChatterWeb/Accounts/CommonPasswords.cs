using System.Collections.Frozen;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Identity;

namespace ChatterWeb.Accounts;

/// <summary>
/// Refuses the passwords an attacker tries first (NIST SP 800-63B: compare with commonly used and
/// compromised values): the most common ones of eight characters or more, one character repeated,
/// runs along the digits or the keyboard, and the person's own email or display name.
/// </summary>
public sealed class CommonPasswords : IPasswordValidator<ChatUser>
{
    public const string Code = "PasswordTooCommon";
    public const string Description = "That password is one of the first an attacker would try. Choose something less common.";

    /// <summary>Among the most used passwords in published breach lists (those of eight characters or more), lower-cased.</summary>
    private static readonly FrozenSet<string> Known = new[]
    {
        "password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssw0rd", "p@ssword", "passwort",
        "12345678", "123456789", "1234567890", "0123456789", "87654321", "11111111", "00000000", "12341234", "11223344",
        "qwertyui", "qwertyuiop", "qwerty123", "qwerty12", "1qaz2wsx", "1q2w3e4r", "1q2w3e4r5t", "zaq12wsx", "asdfghjk", "asdfghjkl",
        "zxcvbnm1", "iloveyou", "iloveyou1", "princess", "sunshine", "football", "baseball", "superman", "starwars", "whatever",
        "trustno1", "welcome1", "welcome123", "letmein1", "letmein123", "admin123", "administrator", "changeme", "changeme1",
        "computer", "internet", "michelle", "jennifer", "charlie1", "liverpool", "chelsea1", "dragon12", "master12", "monkey12",
        "abc12345", "abcd1234", "abcdefgh", "aa123456", "a1234567", "qazwsxedc", "1qazxsw2", "target123", "hello123", "secret12",
        "chatterweb", "chatter123",
    }.ToFrozenSet(StringComparer.Ordinal);

    private const string Runs = "01234567890 abcdefghijklmnopqrstuvwxyz qwertyuiop asdfghjkl zxcvbnm";

    public Task<IdentityResult> ValidateAsync(UserManager<ChatUser> manager, ChatUser user, string? password) =>
        Task.FromResult(IsCommon(password ?? "", user) ? IdentityResult.Failed(new IdentityError { Code = Code, Description = Description }) : IdentityResult.Success);

    internal static bool IsCommon(string password, ChatUser? user = null)
    {
        var p = password.Trim().ToLowerInvariant();
        if (Known.Contains(p) || p.Distinct().Count() <= 2)
            return true; // "aaaaaaaa", "abababab"
        if (p.Length >= 8 && (Runs.Contains(p, StringComparison.Ordinal) || Runs.Contains(new string([.. p.Reverse()]), StringComparison.Ordinal)))
            return true; // "23456789", "hgfedcba"
        return user is not null && (Same(p, user.Email) || Same(p, user.UserName) || Same(p, user.DisplayName) || Same(p, user.Email?.Split('@')[0]));
    }

    private static bool Same(string password, string? value) =>
        value is { Length: > 0 } && string.Equals(password.Replace(" ", ""), value.Trim().ToLowerInvariant().Replace(" ", ""), StringComparison.Ordinal);
}

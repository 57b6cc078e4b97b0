using System.Security.Cryptography;
using System.Text;

namespace ChatterWeb.Accounts;

/// <summary>
/// A short mark of the account, the same wherever the person appears (after their name on messages, in
/// member lists and when picking people): two people who chose the same name (or names that only look
/// alike) still look different. Five characters of base32 over a hash of the account's id: it cannot
/// be chosen, and finding an account with someone's mark takes tens of millions of sign-ups.
/// </summary>
public static class PersonTag
{
    public const int Length = 5;
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1: nothing to misread

    public const string Title = "Tells apart people with the same name";

    public static string For(string userId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(userId), hash);
        var bits = BitConverter.ToUInt64(hash);
        var chars = new char[Length];
        for (var i = 0; i < Length; i++, bits >>= 5)
            chars[i] = Alphabet[(int)(bits & 31)];
        return new string(chars);
    }
}

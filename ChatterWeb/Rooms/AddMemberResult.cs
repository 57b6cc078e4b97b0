namespace ChatterWeb.Rooms;

/// <summary>What adding someone to a closed room by email came to.</summary>
public enum AddMemberResult
{
    Added,

    /// <summary>No account has that address.</summary>
    NoAccount,

    /// <summary>With mail on: the account has not confirmed that address yet, so it proves nothing about who holds it.</summary>
    Unverified,
}

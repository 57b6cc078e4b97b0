using ChatterWeb.Accounts;

namespace ChatterWeb.Admin;

/// <summary>One account as <c>/admin/people</c> lists it.</summary>
public sealed record PersonRow(string UserId, string DisplayName, string Email, bool EmailConfirmed, DateTimeOffset? DeactivatedAt, IReadOnlyList<Administrators.Reason> AdminBecause)
{
    public bool IsAdministrator => AdminBecause.Count > 0;

    /// <summary>The stored role, the one <c>/admin/people</c> grants and revokes.</summary>
    public bool HasGrantedRole => AdminBecause.Contains(Administrators.Reason.FirstAccount);
}

namespace ChatterWeb.Admin;

/// <summary>An address invited (by mail or by a link) that has no account yet, and when it was last invited.</summary>
public sealed record PendingInvitation(string Email, DateTimeOffset LastSent);

namespace ChatterWeb.Accounts.Audit;

/// <summary>What an <see cref="Data.AuditEntry"/> records (its <c>Action</c>).</summary>
public static class AuditActions
{
    public const string SignedIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignInThrottled = "sign-in-throttled";
    public const string SignedOut = "sign-out";
    public const string SessionEnded = "session-ended";
    public const string SignedOutEverywhere = "signed-out-everywhere";
    public const string PasswordChanged = "password-changed";
    public const string PasswordReset = "password-reset";
    public const string PasswordResetRequested = "password-reset-requested";
    public const string EmailVerified = "email-verified";
    public const string Deactivated = "deactivated";
    public const string Reactivated = "reactivated";
    public const string AdminGranted = "admin-granted";
    public const string AdminRevoked = "admin-revoked";
    public const string InvitationSent = "invitation-sent";
    public const string RoomDeleted = "room-deleted";
    public const string RoomRenamed = "room-renamed";
    public const string MessageRemoved = "message-removed";
    public const string LockedOut = "locked-out";
    public const string RoomMembersChanged = "room-members-changed";
    public const string RoomArchived = "room-archived";
    public const string RoomUnarchived = "room-unarchived";

    public static readonly string[] All =
    [
        SignedIn, SignInFailed, SignInThrottled, SignedOut, SessionEnded, SignedOutEverywhere, PasswordChanged, PasswordReset,
        PasswordResetRequested, EmailVerified, Deactivated, Reactivated, AdminGranted, AdminRevoked, InvitationSent,
        RoomDeleted, RoomRenamed, MessageRemoved, LockedOut, RoomMembersChanged, RoomArchived, RoomUnarchived,
    ];
}

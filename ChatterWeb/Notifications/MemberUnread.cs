using ChatterWeb.Data;

namespace ChatterWeb.Notifications;

/// <summary>One member of a room, their setting and their unread count there.</summary>
public sealed record MemberUnread(string UserId, NotifyLevel Notify, int Count, int Mentions);

namespace ChatterWeb.Notifications;

/// <summary>Unread messages in one room for one member (not their own, not deleted), and how many mention them.</summary>
public readonly record struct UnreadCount(int Count, int Mentions);

namespace ChatterWeb.Rooms;

public sealed record MemberInfo(string UserId, string DisplayName, string Email, DateTimeOffset JoinedAt);

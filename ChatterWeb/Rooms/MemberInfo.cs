using ChatterWeb.Data;
using ChatterWeb.Delivery;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Rooms;

public sealed record MemberInfo(string UserId, string DisplayName, string Email, DateTimeOffset JoinedAt);

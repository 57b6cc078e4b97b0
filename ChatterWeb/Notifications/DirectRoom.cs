using System.Globalization;
using System.Text.Encodings.Web;
using System.Text;
using ChatterWeb.Data;
using ChatterWeb.Notifications;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Notifications;

/// <summary>A direct-message room, named for the viewer by the other people in it.</summary>
public sealed record DirectRoom(RoomInfo Room, string Names);

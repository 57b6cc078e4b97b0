using System.Security.Cryptography;
using System.Text;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Rooms;

/// <summary>A person one may start a conversation with.</summary>
public sealed record Person(string UserId, string DisplayName);

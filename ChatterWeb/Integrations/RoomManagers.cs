using ChatterWeb.Accounts;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Integrations;

/// <summary>Who manages a room's integrations: the person who created the room, and administrators. Direct conversations have none.</summary>
public sealed class RoomManagers(ChatterDbContext db, Administrators admins)
{
    public async Task<bool> CanManageAsync(long roomId, string userId, CancellationToken ct = default) =>
        await db.Rooms.AnyAsync(r => r.Id == roomId && r.Kind != RoomKind.Direct, ct)
        && (await db.Rooms.AnyAsync(r => r.Id == roomId && r.CreatedById == userId, ct) || await admins.IsAdministratorAsync(userId));
}

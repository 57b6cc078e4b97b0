using ChatterWeb.Data;
using ChatterWeb.Integrations;
using ChatterWeb.Rooms;

namespace ChatterWeb.Pins;

/// <summary>
/// Who may pin and unpin in a room: its managers (<see cref="RoomManagers"/>: the person who created it,
/// and administrators), and in a direct conversation, which nobody manages, anyone in it. Everyone who
/// can read the room sees its pins.
/// </summary>
public sealed class PinRights(RoomManagers managers, RoomDirectory rooms)
{
    public async Task<bool> MayPinAsync(RoomInfo room, string userId, CancellationToken ct = default) =>
        room.Kind == RoomKind.Direct
            ? await rooms.IsMemberAsync(room.Id, userId, ct)
            : await managers.CanManageAsync(room.Id, userId, ct);

    /// <summary>What a page shows "Pin" to (display only; every pin asks <see cref="MayPinAsync"/>): the room's creator or an administrator by the cookie's claims; anyone in a direct conversation.</summary>
    public static bool SeesPin(RoomInfo room, bool isCreator, System.Security.Claims.ClaimsPrincipal viewer) =>
        room.Kind == RoomKind.Direct || isCreator || Accounts.Administrators.InClaims(viewer);
}

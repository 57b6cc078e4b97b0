using ChatterWeb.Delivery;

namespace ChatterWeb.Rooms;

/// <summary>
/// <c>GET /rooms/{slug}/ws</c>: the delivery core's checks (<see cref="SocketAdmission"/>), then the
/// room (403 when it does not exist or the person may not read it), then the socket in that room,
/// carrying the <see cref="RoomInfo"/> for the frame handlers (<c>session.Find&lt;RoomInfo&gt;()</c>).
/// </summary>
public static class RoomSocketEndpoint
{
    public static async Task HandleAsync(HttpContext http, string slug, SocketAdmission admission, SocketHost host, IServiceScopeFactory scopes)
    {
        if (await admission.CheckAsync(http) is not { } user)
            return;
        RoomInfo? room;
        // A scope of its own: the request's scope lives as long as the socket, and a DbContext
        // leased there would stay out of the pool (tens of KiB) for hours.
        await using (var lookup = scopes.CreateAsyncScope())
            room = await lookup.ServiceProvider.GetRequiredService<RoomDirectory>().FindReadableAsync(slug, user.UserId, http.RequestAborted);
        if (room is null)
        {
            await SocketAdmission.ForbidAsync(http, "No such room, or you cannot read it.");
            return;
        }
        await host.RunAsync(http, user, room.Id, session => session.Set(room));
    }
}

using ChatterWeb.Delivery;

namespace ChatterWeb.Rooms;

public static class RoomsExtensions
{
    /// <summary>Rooms, who may read them and who belongs to them; direct-message rooms.</summary>
    public static WebApplicationBuilder AddChatterRooms(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RoomDirectory>();
        builder.Services.AddScoped<RoomMembers>();
        builder.Services.AddScoped<DirectRooms>();
        return builder;
    }

    public static IEndpointRouteBuilder MapChatterRooms(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapSocket("/rooms/{slug}/ws", RoomSocketEndpoint.HandleAsync);
        return endpoints;
    }
}

using ChatterWeb.Delivery;

namespace ChatterWeb.Pins;

public static class PinsExtensions
{
    /// <summary>Pins: who may pin, the handler the frame and the form share, and the <c>pin</c> socket frame.</summary>
    public static WebApplicationBuilder AddChatterPins(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<PinRights>();
        builder.Services.AddScoped<PinHandler>();
        builder.Services.AddSocketFrameHandler<PinFrameHandler>();
        return builder;
    }
}

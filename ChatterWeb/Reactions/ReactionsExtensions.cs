using ChatterWeb.Delivery;

namespace ChatterWeb.Reactions;

public static class ReactionsExtensions
{
    /// <summary>Reactions: the handler the frame and the form share, and the <c>reaction</c> socket frame.</summary>
    public static WebApplicationBuilder AddChatterReactions(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ReactionHandler>();
        builder.Services.AddSocketFrameHandler<ReactionFrameHandler>();
        return builder;
    }
}

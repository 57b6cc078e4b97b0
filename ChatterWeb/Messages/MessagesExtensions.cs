using ChatterWeb.Search;

namespace ChatterWeb.Messages;

public static class MessagesExtensions
{
    /// <summary>Editing, deleting and searching messages (posting and history are wired in AddChatterWeb).</summary>
    public static IServiceCollection AddChatterMessageChanges(this IServiceCollection services)
    {
        services.AddScoped<MessageChanges>();
        services.AddScoped<EditMessageHandler>();
        services.AddScoped<DeleteMessageHandler>();
        services.AddScoped<MessageSearch>();
        services.AddHostedService<FormattingWarmUp>();
        return services;
    }
}

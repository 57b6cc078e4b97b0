using ChatterWeb.Delivery;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatterWeb.Messages;

public static class MessagesExtensions
{
    /// <summary>
    /// Posting (socket frame, form, upload), history, edits and deletes, mentions; the group-commit
    /// writer and the events it announces; the delivery of messages to the room's sockets.
    /// </summary>
    public static WebApplicationBuilder AddChatterMessages(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<MessageHistory>();
        services.AddScoped<PostMessageHandler>();
        services.AddScoped<MessageChanges>();
        services.AddScoped<EditMessageHandler>();
        services.AddScoped<DeleteMessageHandler>();
        services.AddScoped<EditHistory>();
        services.AddScoped<MentionCandidates>();
        services.AddSingleton<MessageRate>();
        services.AddOptions<RoomWideOptions>().BindConfiguration(RoomWideOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RoomWideRate>();
        services.AddScoped<RoomWideReach>();
        services.AddScoped<ReplyTargets>();
        services.AddSingleton<MessageEvents>();
        services.AddSingleton<MessageWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageWriter>());
        services.AddHostedService<FormattingWarmUp>();

        services.AddMessageListener<MessageBroadcast>();
        services.AddSingleton<IRoomBacklog, MessageBacklog>();
        services.AddSingleton<ISocketNotices, ComposerNotices>();
        services.AddSocketFrameHandler<PostFrameHandler>();
        services.AddSocketFrameHandler<ResumeFrameHandler>();
        return builder;
    }

    /// <summary>A subscriber to "stored" and "changed" (see <see cref="IMessageListener"/>); listeners hear in registration order.</summary>
    public static IServiceCollection AddMessageListener<TListener>(this IServiceCollection services) where TListener : class, IMessageListener
    {
        services.TryAddSingleton<TListener>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageListener, TListener>(sp => sp.GetRequiredService<TListener>()));
        return services;
    }

    public static IEndpointRouteBuilder MapChatterMessages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/rooms/{slug}/mentions", MentionSuggestions.HandleAsync).RequireAuthorization();
        // Antiforgery is validated inside (after the size checks), so the endpoint opts out of the
        // automatic form check that would read the whole body first.
        endpoints.MapPost("/rooms/{slug}/attachments", UploadAttachment.HandleAsync).RequireAuthorization().DisableAntiforgery();
        return endpoints;
    }
}

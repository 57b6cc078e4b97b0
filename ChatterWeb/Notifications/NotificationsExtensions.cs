using ChatterWeb.Delivery;
using ChatterWeb.Messages;

namespace ChatterWeb.Notifications;

public static class NotificationsExtensions
{
    /// <summary>
    /// Read state and unread counts, the worker that sends them (with notification signals) on each
    /// member's per-user stream, notification settings, and the sidebar that shows the counts. See docs/PEOPLE.md.
    /// </summary>
    public static WebApplicationBuilder AddChatterNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ReadState>();
        services.AddSingleton<UnreadWindows>();
        services.AddScoped<Sidebar>();
        services.AddMessageListener<UnreadNotifier>();
        services.AddHostedService<UnreadWorker>();
        services.AddSocketFrameHandler<ReadFrameHandler>();
        return builder;
    }
}

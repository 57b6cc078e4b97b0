using ChatterWeb.Accounts;
using ChatterWeb.Admin;
using ChatterWeb.Attachments;
using ChatterWeb.Bots;
using ChatterWeb.Data;
using ChatterWeb.Delivery;
using ChatterWeb.Infrastructure;
using ChatterWeb.Mail;
using ChatterWeb.Integrations;
using ChatterWeb.Messages;
using ChatterWeb.Metrics;
using ChatterWeb.Notifications;
using ChatterWeb.Presence;
using ChatterWeb.Pins;
using ChatterWeb.Reactions;
using ChatterWeb.Rooms;
using ChatterWeb.Search;
using ChatterWeb.Threads;
using Microsoft.AspNetCore.Http.Features;

namespace ChatterWeb;

/// <summary>
/// Composition of the features; Program.cs calls these two and nothing else. Each feature registers
/// only its own types (handlers, listeners and observers included), so the order of the Add calls
/// does not matter.
/// </summary>
public static class ChatterWebExtensions
{
    public static WebApplicationBuilder AddChatterWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddChatterData();
        builder.AddChatterSecurity();
        builder.AddChatterMetrics();
        builder.AddChatterDelivery();
        builder.AddChatterAccounts();
        builder.AddChatterAdmin();
        builder.AddChatterRooms();
        builder.AddChatterAttachments();
        builder.AddChatterMessages();
        builder.AddChatterSearch();
        builder.AddChatterPresence();
        builder.AddChatterNotifications();
        builder.AddChatterMail();
        builder.AddChatterIntegrations();
        builder.AddChatterReactions();
        builder.AddChatterPins();
        builder.AddChatterThreads();
        builder.AddChatterBots();

        builder.Services.AddRazorPages(o =>
        {
            // Pages live in their feature folders with explicit routes.
            o.RootDirectory = "/";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AddPageRoute("/RoomPages/Room", ThreadsExtensions.ThreadRoute); // a thread: the room page with the thread beside it
        });
        builder.Services.AddChatterHealth();
        // Sockets get 1012 at once on SIGTERM and end within a few seconds; leave room for that.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddChatterCompression();
        return builder;
    }

    public static WebApplication MapChatterWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/error");
        app.UseChatterSecurity();
        app.UseChatterMetrics();
        // Not for WebSocket upgrades: browsers send Accept-Encoding on them too, and the middleware
        // would then wrap the response (and stay on the stack) for the socket's whole life.
        app.UseWhen(http => http.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest != true, branch => branch.UseResponseCompression());
        app.UseStaticFiles(new StaticFileOptions
        {
            // The page's ES modules import each other by plain URLs, which asp-append-version cannot
            // version: the browser revalidates them on every load (ETag, so a 304 when unchanged), and
            // a deploy never leaves it running old modules beside new ones.
            OnPrepareResponse = static file =>
            {
                if (file.File.Name.EndsWith(".mjs", StringComparison.Ordinal))
                    file.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
        app.UseChatterDelivery();
        app.UseChatterIntegrations();
        app.UseRouting(); // socket endpoints run here (short-circuit) and check the session themselves
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapChatterHealth();
        app.MapGet("/", (HttpContext http) => Results.Redirect(http.User.Identity?.IsAuthenticated == true ? "/rooms" : "/Account/Login"));
        app.MapRazorPages();
        app.MapChatterDelivery();
        app.MapChatterRooms();
        app.MapChatterMessages();
        app.MapChatterAttachments();
        app.MapChatterAdmin();
        app.MapChatterIntegrations();
        return app;
    }
}

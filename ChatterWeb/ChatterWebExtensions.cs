using ChatterWeb.Accounts;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Infrastructure;
using ChatterWeb.Messages;
using ChatterWeb.Metrics;
using ChatterWeb.Notifications;
using ChatterWeb.Presence;
using ChatterWeb.Realtime;
using ChatterWeb.Rooms;
using Microsoft.AspNetCore.Http.Features;

namespace ChatterWeb;

/// <summary>Composition of the features; Program.cs calls these two and nothing else.</summary>
public static class ChatterWebExtensions
{
    public static WebApplicationBuilder AddChatterWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddChatterData();
        builder.AddChatterAccounts();
        builder.AddChatterSecurity();
        builder.AddChatterRealtime();
        builder.AddChatterMetrics();
        builder.AddChatterAttachments();

        builder.Services.AddScoped<RoomDirectory>();
        builder.Services.AddScoped<RoomMembers>();
        builder.Services.AddScoped<MessageHistory>();
        builder.Services.AddScoped<PostMessageHandler>();
        builder.Services.AddChatterMessageChanges();
        builder.Services.AddSingleton<MessageWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MessageWriter>());
        builder.AddChatterRedis();
        builder.AddChatterPeople();

        builder.Services.AddRazorPages(o =>
        {
            // Pages live in their feature folders (Accounts/, Rooms/) with explicit routes.
            o.RootDirectory = "/";
            o.Conventions.AuthorizeFolder("/");
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
        app.UseChatterRealtime();
        app.UseRouting(); // socket endpoints run here (short-circuit) and check the session themselves
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapChatterHealth();
        app.MapGet("/", (HttpContext http) => Results.Redirect(http.User.Identity?.IsAuthenticated == true ? "/rooms" : "/Account/Login"));
        app.MapRazorPages();
        app.MapChatterRealtime();
        app.MapChatterPeople();
        app.MapChatterAttachments();
        return app;
    }
}

using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;

namespace ChatterWeb.Infrastructure;

public static class SecurityExtensions
{
    public const string SignInPolicy = "sign-in";

    public static WebApplicationBuilder AddChatterSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var security = builder.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Default: a proxy on loopback only. Once proxies are configured, exactly those.
            if (security.KnownProxies.Length > 0 || security.KnownNetworks.Length > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
            }
            foreach (var proxy in security.KnownProxies)
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in security.KnownNetworks)
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });

        // Cookies: HttpOnly and SameSite=Lax always; __Host- prefixed and Secure when served over HTTPS.
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = security.RequireHttps ? "__Host-chatter.auth" : "chatter.auth";
            o.Cookie.SecurePolicy = security.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = security.RequireHttps ? "__Host-chatter.af" : "chatter.af";
            o.Cookie.SecurePolicy = security.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = "/";
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(180));

        // Password guessing: lockout per account (Identity) and a budget per client IP (here).
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInPolicy, http => http.Request.Method == HttpMethods.Post
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = security.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("get"));
        });
        return builder;
    }

    public static WebApplication UseChatterSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var security = app.Configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        if (security.RequireHttps)
        {
            app.UseHsts();
            app.UseHttpsOnly(security.HttpsPort);
        }
        app.UseChatterSecurityHeaders();
        return app;
    }
}

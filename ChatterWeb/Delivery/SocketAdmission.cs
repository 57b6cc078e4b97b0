using System.Security.Claims;
using ChatterWeb.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Delivery;

/// <summary>
/// The checks every socket endpoint makes before anything else (room sockets and <c>/me/ws</c>):
/// an upgrade request (400), the instance not stopping (503), a session (403) from an allowed
/// Origin (403). Null when the response has been written.
/// </summary>
/// <remarks>
/// Socket endpoints are short-circuited after routing (<see cref="DeliveryExtensions.MapSocket"/>):
/// the authentication and authorization middleware do not run for them, because whatever they
/// touch stays reachable for the socket's whole life (the middleware's await frame holds the
/// request's handler provider, the handler caches its result, the authentication service keeps
/// the principal, the request features keep the result): about 3.5 KiB per idle socket. The
/// session cookie is read here instead, in a service scope of its own that ends before the
/// upgrade; only the user id and display name are kept.
/// </remarks>
public sealed class SocketAdmission(IOptions<RealtimeOptions> options, IHostApplicationLifetime lifetime, IServiceScopeFactory scopes)
{
    public async Task<SocketUser?> CheckAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("WebSocket upgrade expected.");
            return null;
        }
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return null;
        }
        var user = await AuthenticateAsync(http);
        var userId = user?.UserId();
        if (user?.Identity?.IsAuthenticated != true || userId is null)
        {
            await ForbidAsync(http, "Sign in first.");
            return null;
        }
        if (!OriginPolicy.IsAllowed(http.Request, options.Value.AllowedOrigins))
        {
            await ForbidAsync(http, "Cross-origin sockets are not allowed.");
            return null;
        }
        return new SocketUser(userId, user.DisplayName());
    }

    /// <summary>
    /// The default scheme's answer (the session cookie, with its security-stamp check when due),
    /// computed with a scope of its own as the request's services: the handler, the authentication
    /// service and anything the stamp check resolves are let go when it ends. A renewed or cleared
    /// cookie is still written on the response (the handler registered that with the response).
    /// </summary>
    private async Task<ClaimsPrincipal?> AuthenticateAsync(HttpContext http)
    {
        var requestServices = http.RequestServices;
        await using var scope = scopes.CreateAsyncScope();
        http.RequestServices = scope.ServiceProvider;
        try
        {
            var result = await http.AuthenticateAsync();
            return result.Succeeded ? result.Principal : null;
        }
        finally
        {
            http.RequestServices = requestServices;
        }
    }

    /// <summary>
    /// After the upgrade: the request stays in progress for the socket's whole life, and with it the
    /// headers it carried. The Cookie header (the session and antiforgery cookies) and the parsed
    /// copy of it were about 4 KiB per idle socket, and a browser's other headers (User-Agent,
    /// Accept-Language, ...) a few hundred bytes more. Nothing reads them after the upgrade (the user
    /// is authenticated, forwarded headers applied, the response started), so all are let go. Each is
    /// removed by name: Kestrel's Clear() keeps the values of known headers for reuse.
    /// </summary>
    public static void DropRequestHeaders(HttpContext http)
    {
        var headers = http.Request.Headers;
        foreach (var name in headers.Keys.ToArray())
            headers.Remove(name);
        http.Features.Set<IRequestCookiesFeature>(null);
        // HttpRequest keeps the parsed cookies it last read until the next read notices the change.
        _ = http.Request.Cookies;
    }

    public static Task ForbidAsync(HttpContext http, string why)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        return http.Response.WriteAsync(why);
    }
}


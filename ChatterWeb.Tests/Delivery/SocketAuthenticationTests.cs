using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Delivery;

/// <summary>
/// The app with the security-stamp check due on every request, and a first middleware that keeps
/// every socket request's <see cref="HttpContext"/> so a test can look at what an open socket holds.
/// </summary>
public sealed class StampCheckingServer : ChatterServer
{
    public ConcurrentQueue<HttpContext> SocketRequests { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
            services.AddSingleton<IStartupFilter>(new KeepSocketRequests(SocketRequests));
        });
    }

    private sealed class KeepSocketRequests(ConcurrentQueue<HttpContext> into) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, inner) =>
            {
                if (http.Request.Path.Value?.EndsWith("/ws", StringComparison.Ordinal) == true)
                    into.Enqueue(http);
                return inner(http);
            });
            next(app);
        };
    }
}

/// <summary>
/// Socket endpoints skip the authentication middleware (it would keep its state for the socket's
/// whole life) and read the session cookie themselves, in a scope of their own: still the full check,
/// security stamp included; afterwards the open socket's request holds no authentication state.
/// </summary>
public class SocketAuthenticationTests(StampCheckingServer server) : IClassFixture<StampCheckingServer>
{
    private const string SessionCookie = "chatter.auth";

    [Fact]
    public async Task A_cookie_whose_security_stamp_changed_is_refused_before_upgrade()
    {
        var user = await server.SignUpAsync();
        await using (await user.JoinAsync("general")) { } // the cookie is good

        await server.ChangeSecurityStampAsync(user.Id); // e.g. a password change elsewhere

        // a copy of the stale cookie for each attempt (a refusal clears it from the jar it came in)
        var stale = user.Cookies.GetAllCookies().Single(c => c.Name == SessionCookie);
        CookieContainer Stale()
        {
            var jar = new CookieContainer();
            jar.Add(new Cookie(stale.Name, stale.Value, stale.Path, stale.Domain));
            return jar;
        }
        var me = await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", Stale(), server.Origin));
        Assert.Equal(HttpStatusCode.Forbidden, me.Status);
        // the rejected session's cookie is cleared on the browser, as a page request would clear it
        Assert.Contains(me.Headers.GetValueOrDefault("Set-Cookie") ?? [], v => v.StartsWith(SessionCookie + "=;", StringComparison.Ordinal) && v.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        var e = await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectAsync(server, "general", Stale(), server.Origin));
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
    }

    [Fact]
    public async Task A_checked_session_cookie_is_renewed_on_the_upgrade_response()
    {
        // With the stamp check due on every request, a good cookie comes back renewed (sliding), on the 101 itself.
        var user = await server.SignUpAsync();
        await using var socket = await TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", user.Cookies, server.Origin);
        Assert.Contains(socket.UpgradeHeaders.GetValueOrDefault("Set-Cookie") ?? [], v => v.StartsWith(SessionCookie + "=", StringComparison.Ordinal) && !v.StartsWith(SessionCookie + "=;", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/rooms/general/ws")]
    [InlineData("/me/ws")]
    public async Task An_open_socket_keeps_no_authentication_state_cookies_or_headers(string path)
    {
        var user = await server.SignUpAsync();
        server.SocketRequests.Clear();
        await using var socket = await TestSocket.ConnectPathAsync(server.BaseUri, path, user.Cookies, server.Origin);
        if (path.StartsWith("/rooms/", StringComparison.Ordinal))
            await socket.WaitForAsync(f => f.Contains("id=\"presence\"")); // the session is running
        else
            await server.UntilStreamHasAsync(user.Id); // /me/ws sends nothing of its own; it joins the stream after dropping the headers
        Assert.Equal(WebSocketState.Open, socket.State);

        var http = Assert.Single(server.SocketRequests);
        Assert.Null(http.Features.Get<IAuthenticateResultFeature>());
        Assert.NotEqual(true, http.User.Identity?.IsAuthenticated);
        Assert.Empty(http.Request.Headers);
        Assert.Empty(http.Request.Cookies);
        // Nothing of authentication was created in the request's own scope (the socket's lifetime).
        Assert.DoesNotContain(ServiceScopes.Resolved(http.RequestServices),
            o => o is IAuthenticationService or IAuthenticationHandlerProvider or IAuthenticationHandler);
    }
}

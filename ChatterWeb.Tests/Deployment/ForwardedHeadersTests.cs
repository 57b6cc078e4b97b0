using System.Net;
using System.Net.WebSockets;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Deployment;

/// <summary>The app behind a TLS-terminating balancer, configured as compose.yaml configures it.</summary>
public sealed class ForwardedHeadersServer : ChatterServer
{
    // ASPNETCORE_FORWARDEDHEADERS_ENABLED=true in the environment is this host setting.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("FORWARDEDHEADERS_ENABLED", "true")];
}

public class ForwardedHeadersTests(ForwardedHeadersServer behindProxy) : IClassFixture<ForwardedHeadersServer>
{
    /// <summary>A socket as a browser on https://host:port opens it through a balancer that sets X-Forwarded-Proto: https.</summary>
    private static async Task<HttpStatusCode> OpenThroughTlsProxyAsync(ChatterServer server, TestUser user)
    {
        using var ws = new ClientWebSocket();
        ws.Options.Cookies = user.Cookies;
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.SetRequestHeader("Origin", $"https://{server.BaseUri.Authority}");
        ws.Options.SetRequestHeader("X-Forwarded-Proto", "https");
        try
        {
            await ws.ConnectAsync(new UriBuilder(server.BaseUri) { Scheme = "ws", Path = "/rooms/general/ws" }.Uri, new CancellationTokenSource(TestSocket.DefaultWait).Token);
        }
        catch (WebSocketException)
        {
            return (HttpStatusCode)ws.HttpStatusCode;
        }
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", new CancellationTokenSource(TestSocket.DefaultWait).Token);
        return (HttpStatusCode)ws.HttpStatusCode;
    }

    [Fact]
    public async Task With_forwarded_headers_enabled_a_socket_from_the_public_https_origin_is_accepted()
    {
        var user = await behindProxy.SignUpAsync();
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenThroughTlsProxyAsync(behindProxy, user));
    }

    [Fact]
    public async Task Without_it_the_app_sees_http_and_refuses_the_https_origin()
    {
        using var plain = new ChatterServer();
        var user = await plain.SignUpAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await OpenThroughTlsProxyAsync(plain, user));
    }
}

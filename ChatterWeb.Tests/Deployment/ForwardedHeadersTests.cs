using System.Net;
using System.Net.WebSockets;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Deployment;

/// <summary>Forwarded headers believed only from a configured network the test's loopback proxy is not in.</summary>
public sealed class OtherProxyServer : ChatterServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Chatter:Security:KnownNetworks:0", "172.28.0.0/16")];
}

/// <summary>The app behind a TLS-terminating balancer: its X-Forwarded-Proto is believed only from a trusted proxy.</summary>
public class ForwardedHeadersTests(ChatterServer behindProxy) : IClassFixture<ChatterServer>
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
    public async Task From_a_trusted_proxy_a_socket_from_the_public_https_origin_is_accepted()
    {
        var user = await behindProxy.SignUpAsync(); // the default trusts a proxy on loopback, as this one is
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await OpenThroughTlsProxyAsync(behindProxy, user));
    }

    [Fact]
    public async Task From_an_untrusted_peer_the_forwarded_scheme_is_ignored_and_the_https_origin_refused()
    {
        using var strict = new OtherProxyServer();
        var user = await strict.SignUpAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await OpenThroughTlsProxyAsync(strict, user));
    }
}

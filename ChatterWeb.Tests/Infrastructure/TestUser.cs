using System.Net;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>A signed-in person: their cookie jar, and sockets opened the way htmx-ext-ws opens them.</summary>
public sealed record TestUser(ChatterServer Server, HttpClient Http, CookieContainer Cookies, string Id, string Email, string DisplayName, string Password)
{
    public Task<TestSocket> ConnectAsync(string slug, string? origin = "self") =>
        TestSocket.ConnectAsync(Server, slug, Cookies, origin == "self" ? Server.Origin : origin);

    /// <summary>Opens the room's socket and waits until presence shows this user (the server has joined us).</summary>
    public async Task<TestSocket> JoinAsync(string slug)
    {
        var socket = await ConnectAsync(slug);
        await socket.WaitForAsync(f => f.Contains("id=\"presence\"") && f.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(DisplayName)));
        return socket;
    }

}

using System.Net;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>A person signed up through the real pages of any running ChatterWeb (in-process or a separate process).</summary>
public sealed record Browser(Uri BaseUri, HttpClient Http, CookieContainer Cookies, string Email, string DisplayName)
{
    public static async Task<Browser> SignUpAsync(Uri baseUri, string displayName, CookieContainer? cookies = null)
    {
        cookies ??= new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
        var email = $"{Guid.NewGuid():N}@example.test";
        var response = await ChatterServer.PostFormAsync(http, "/Account/Register", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = displayName,
            ["Input.Password"] = "correct horse battery",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return new Browser(baseUri, http, cookies, email, displayName);
    }

    /// <summary>Opens the room's socket and waits until the server has joined it (presence names us).</summary>
    public async Task<TestSocket> JoinAsync(string slug, Uri? instance = null)
    {
        var socket = await TestSocket.ConnectAsync(instance ?? BaseUri, slug, Cookies);
        await socket.WaitForAsync(f => f.Contains("id=\"presence\"") && f.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(DisplayName)));
        return socket;
    }
}

using System.Net;
using System.Text.RegularExpressions;

namespace ChatterWeb.Bench.Client;

/// <summary>
/// One person's browser, minus the browser: a cookie jar and an HttpClient that signs up through
/// the real Register page (antiforgery token and all) and creates rooms through the real form.
/// </summary>
public sealed partial class ChatClient : IDisposable
{
    public const string Password = "bench password 1";

    private ChatClient(Uri baseUri, CookieContainer cookies, HttpClient http, string email, string displayName)
    {
        BaseUri = baseUri;
        Cookies = cookies;
        Http = http;
        Email = email;
        DisplayName = displayName;
    }

    public Uri BaseUri { get; }
    public CookieContainer Cookies { get; }
    public HttpClient Http { get; }
    public string Email { get; }
    public string DisplayName { get; }

    public static HttpClient NewHttp(Uri baseUri, CookieContainer? cookies, int maxConnections = 4) =>
        new(new SocketsHttpHandler
        {
            CookieContainer = cookies ?? new CookieContainer(),
            UseCookies = cookies is not null,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A visitor with an empty cookie jar, for a target without accounts (the raw Kestrel peer).</summary>
    public static ChatClient Anonymous(Uri baseUri, string name)
    {
        var cookies = new CookieContainer();
        return new ChatClient(baseUri, cookies, NewHttp(baseUri, cookies), $"{name}@bench.test", name);
    }

    /// <summary>GET /Account/Register for the antiforgery token, then POST the form; a 302 means signed in.</summary>
    public static async Task<ChatClient> SignUpAsync(Uri baseUri, string email, string displayName, CancellationToken ct)
    {
        var cookies = new CookieContainer();
        var http = NewHttp(baseUri, cookies);
        try
        {
            using var response = await PostFormAsync(http, "/Account/Register", new()
            {
                ["Input.Email"] = email,
                ["Input.DisplayName"] = displayName,
                ["Input.Password"] = Password,
            }, ct);
            if (response.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"sign-up of {email} failed: {(int)response.StatusCode} {Excerpt(await response.Content.ReadAsStringAsync(ct))}");
            if (cookies.GetCookies(baseUri)["chatter.auth"] is null)
                throw new InvalidOperationException($"sign-up of {email} set no auth cookie");
            return new ChatClient(baseUri, cookies, http, email, displayName);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>POST /rooms with <c>name</c>: creates an open room and redirects into it. Returns the slug.</summary>
    public async Task<string> CreateRoomAsync(string name, CancellationToken ct)
    {
        using var response = await PostFormAsync(Http, "/rooms", new() { ["name"] = name }, ct);
        var location = response.Headers.Location?.ToString();
        if (response.StatusCode != HttpStatusCode.Redirect || location is null || !location.StartsWith("/rooms/", StringComparison.Ordinal))
            throw new InvalidOperationException($"creating room '{name}' failed: {(int)response.StatusCode} {location}");
        return location["/rooms/".Length..];
    }

    /// <summary>GETs the form's page for its antiforgery token, then POSTs the fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string path, Dictionary<string, string> fields, CancellationToken ct)
    {
        var page = await http.GetStringAsync(path, ct);
        var token = AntiforgeryToken().Match(page);
        if (!token.Success)
            throw new InvalidOperationException($"no antiforgery token on {path}");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        return await http.PostAsync(path, new FormUrlEncodedContent(fields), ct);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static string Excerpt(string s) => s.Length > 300 ? s[..300] + "..." : s;

    public void Dispose() => Http.Dispose();
}

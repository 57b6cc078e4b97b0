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

    /// <summary>POST /rooms with <c>name</c>: creates a room (open, or members-only) and redirects into it. Returns the slug.</summary>
    public async Task<string> CreateRoomAsync(string name, CancellationToken ct, bool membersOnly = false)
    {
        var fields = new Dictionary<string, string> { ["name"] = name };
        if (membersOnly)
            fields["membersOnly"] = "true";
        using var response = await PostFormAsync(Http, "/rooms", fields, ct);
        return RoomSlug(response, $"creating room '{name}'");
    }

    /// <summary>
    /// Starts (or finds) the direct-message room of this person and <paramref name="otherUserIds"/> the
    /// way the page does: <c>GET /direct?with=…</c>, then its form's <c>POST /direct</c>. Returns the slug.
    /// </summary>
    public async Task<string> StartDirectAsync(IReadOnlyList<string> otherUserIds, CancellationToken ct)
    {
        var page = "/direct?" + string.Join('&', otherUserIds.Select(id => "with=" + Uri.EscapeDataString(id)));
        using var response = await PostFormAsync(Http, page, "/direct", otherUserIds.Select(id => KeyValuePair.Create("with", id)), ct);
        return RoomSlug(response, $"starting a direct message with {otherUserIds.Count} people");
    }

    /// <summary>This person's user id, as every signed-in page's layout carries it (its per-user style rules).</summary>
    public async Task<string> UserIdAsync(CancellationToken ct)
    {
        var page = await Http.GetStringAsync("/rooms", ct);
        var id = OwnUserId().Match(page);
        return id.Success ? WebUtility.HtmlDecode(id.Groups[1].Value) : throw new InvalidOperationException($"no user id on /rooms for {Email}");
    }

    private static string RoomSlug(HttpResponseMessage response, string what)
    {
        var location = response.Headers.Location?.ToString();
        if (response.StatusCode != HttpStatusCode.Redirect || location is null || !location.StartsWith("/rooms/", StringComparison.Ordinal))
            throw new InvalidOperationException($"{what} failed: {(int)response.StatusCode} {location}");
        return location["/rooms/".Length..];
    }

    /// <summary>GETs the form's page for its antiforgery token, then POSTs the fields with it.</summary>
    public static Task<HttpResponseMessage> PostFormAsync(HttpClient http, string path, Dictionary<string, string> fields, CancellationToken ct) =>
        PostFormAsync(http, path, path, fields, ct);

    /// <summary>GETs <paramref name="formPage"/> for its antiforgery token, then POSTs the fields (a name may repeat) to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken ct)
    {
        var page = await http.GetStringAsync(formPage, ct);
        var token = AntiforgeryToken().Match(page);
        if (!token.Success)
            throw new InvalidOperationException($"no antiforgery token on {formPage}");
        var form = fields.Where(f => f.Key != "__RequestVerificationToken")
            .Append(KeyValuePair.Create("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        return await http.PostAsync(action, new FormUrlEncodedContent(form), ct);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("\\.msg\\[data-author-id=\"([^\"]+)\"\\]")]
    private static partial Regex OwnUserId();

    private static string Excerpt(string s) => s.Length > 300 ? s[..300] + "..." : s;

    public void Dispose() => Http.Dispose();
}

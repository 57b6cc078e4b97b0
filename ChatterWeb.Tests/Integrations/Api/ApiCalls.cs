using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Integrations.Api;

/// <summary>
/// What the API tests do the way a person or a script does it: make a token on <c>/Account/Tokens</c>
/// (the page's form, antiforgery included), call <c>/api/v1</c> with it, read problem details.
/// </summary>
public static partial class ApiCalls
{
    /// <summary>Posts the page's "Make token" form.</summary>
    public static async Task<HttpResponseMessage> CreateTokenAsync(TestUser user, string name, IEnumerable<string> scopes, string expiresInDays = "30")
    {
        var page = await user.Http.GetStringAsync("/Account/Tokens");
        var fields = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", ChatterServer.AntiforgeryToken(page)),
            new("name", name),
            new("expiresInDays", expiresInDays),
        };
        fields.AddRange(scopes.Select(s => new KeyValuePair<string, string>("scopes", s)));
        return await user.Http.PostAsync("/Account/Tokens?handler=Create", new FormUrlEncodedContent(fields));
    }

    /// <summary>A new token of <paramref name="user"/> with these scopes (both when none are named), as the page reveals it.</summary>
    public static async Task<string> TokenAsync(TestUser user, params string[] scopes)
    {
        var response = await CreateTokenAsync(user, "token " + Guid.NewGuid().ToString("N")[..6], scopes.Length == 0 ? ["read", "post"] : scopes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Revealed(await response.Content.ReadAsStringAsync());
    }

    public static string Revealed(string page)
    {
        var m = NewToken().Match(page);
        Assert.True(m.Success, "the page shows no new token");
        return WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    /// <summary>A client that sends no cookie, only <c>Authorization</c> (none when <paramref name="token"/> is null).</summary>
    public static HttpClient ApiClient(ChatterServer server, string? token, string scheme = "Bearer")
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseUri };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        return http;
    }

    public static Task<HttpResponseMessage> PostTextAsync(HttpClient http, string slug, string text, string? idempotencyKey = null) =>
        SendJsonAsync(http, HttpMethod.Post, $"/api/v1/rooms/{slug}/messages", JsonSerializer.Serialize(new { text }), idempotencyKey);

    public static Task<HttpResponseMessage> SendJsonAsync(HttpClient http, HttpMethod method, string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        return http.SendAsync(request);
    }

    /// <summary>Posts <paramref name="text"/> and returns the stored message's seq (asserting 201).</summary>
    public static async Task<long> PostAsync(HttpClient http, string slug, string text)
    {
        var response = await PostTextAsync(http, slug, text);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response)).GetProperty("seq").GetInt64();
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JsonAsync(response);
    }

    /// <summary>Asserts an RFC 9457 answer with this status (content type, and the status and title in the body); returns its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal((int)status, doc.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("type").GetString()));
        return doc.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "";
    }

    /// <summary>Makes a room through the rooms page, as a person does; returns its slug.</summary>
    public static async Task<string> CreateRoomAsync(TestUser owner, bool membersOnly = false)
    {
        var fields = new Dictionary<string, string> { ["name"] = "Api " + Guid.NewGuid().ToString("N")[..6] };
        if (membersOnly)
            fields["membersOnly"] = "true";
        var response = await ChatterServer.PostFormAsync(owner.Http, "/rooms", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString().Split('/').Last();
    }

    public static async Task AddMemberAsync(TestUser owner, string slug, TestUser member)
    {
        var add = await ChatterServer.PostFormAsync(owner.Http, $"/rooms/{slug}/members?handler=Add", new() { ["email"] = member.Email }, $"/rooms/{slug}/members");
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
    }

    [GeneratedRegex("id=\"new-token\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex NewToken();
}

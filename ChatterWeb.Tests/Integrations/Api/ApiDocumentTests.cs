using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Integrations.Api;

/// <summary>
/// The API describes itself: the OpenAPI document at <c>/openapi/v1.json</c> (every operation, the
/// Bearer scheme, nothing but <c>/api/v1</c>) and the reference page at <c>/docs/api</c>, which lists
/// the same operations and keeps the strict CSP (no inline script or style). Neither touches the database.
/// </summary>
public sealed partial class ApiDocumentTests(ChatterServer server) : IClassFixture<ChatterServer>
{
    private static readonly string[] Expected =
    [
        "GET /api/v1/me", "GET /api/v1/rooms", "GET /api/v1/rooms/{slug}/messages", "POST /api/v1/rooms/{slug}/messages",
        "PATCH /api/v1/rooms/{slug}/messages/{seq}", "DELETE /api/v1/rooms/{slug}/messages/{seq}",
    ];

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await server.NewBrowser().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static IEnumerable<string> OperationsOf(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(path =>
            path.Value.EnumerateObject().Select(op => op.Name.ToUpperInvariant() + " " + path.Name));

    [Fact]
    public async Task The_OpenAPI_document_describes_every_operation_and_the_Bearer_scheme()
    {
        var document = await DocumentAsync();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        Assert.Equal("ChatterWeb API", document.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal(Expected.Order(), OperationsOf(document).Order());

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("Bearer", out _));

        var messages = document.GetProperty("paths").GetProperty("/api/v1/rooms/{slug}/messages");
        var parameters = messages.GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("before", parameters);
        Assert.Contains("after", parameters);
        Assert.Contains("limit", parameters);
        var post = messages.GetProperty("post");
        var key = post.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", key.GetProperty("in").GetString());
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var answers = post.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        foreach (var status in new[] { "201", "400", "401", "403", "404", "413", "415", "422", "429" })
            Assert.Contains(status, answers);
        Assert.True(post.GetProperty("responses").GetProperty("429").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public async Task The_reference_page_lists_the_same_operations_within_the_strict_CSP()
    {
        var operations = OperationsOf(await DocumentAsync()).ToList();
        var response = await server.NewBrowser().GetAsync("/docs/api");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        foreach (var operation in operations)
            Assert.Contains($"<code>{operation}</code>", page);
        Assert.Contains("href=\"/openapi/v1.json\"", page);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotMatch(InlineScript(), page);
        Assert.DoesNotContain(" style=", page);
        Assert.DoesNotContain("<style", page); // signed out: not even the nonce'd rule of the layout
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();
}

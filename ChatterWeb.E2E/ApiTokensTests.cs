using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// Personal API tokens in a real browser: made on /Account/Tokens (reached from the top bar, axe-clean),
/// used by a script whose post appears live in another person's open room, revoked; the same with
/// JavaScript off; and the API reference page, axe-clean with no CSP violation.
/// </summary>
public sealed class ApiTokensTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private HttpClient Api(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient api, string slug, string text) =>
        api.PostAsync($"/api/v1/rooms/{slug}/messages", new StringContent($$"""{"text":"{{text}}"}""", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_token_made_on_the_page_posts_live_and_stops_when_revoked()
    {
        await using var ada = await app.SignUpAsync("Ada Tokens");
        await using var grace = await app.SignUpAsync("Grace Tokens");
        var slug = await ada.CreateRoomAsync("Deploys");
        await grace.OpenRoomAsync(slug);

        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "API tokens" }).ClickAsync();
        await Expect(ada.Page.Locator("h1")).ToHaveTextAsync("API tokens");
        await Expect(ada.Page.GetByText("None yet.")).ToBeVisibleAsync();
        await AssertAccessibleAsync(ada.Page, "tokens (none)");
        await ada.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("deploy script");
        await ada.Page.GetByLabel("post, and edit and delete your messages").CheckAsync();
        await ada.Page.GetByLabel("Expires").SelectOptionAsync("90");
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Make token" }).ClickAsync();
        var token = await ada.Page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        Assert.StartsWith("cwt_", token);
        await Expect(ada.Page.Locator("#tokens-title + ul li")).ToContainTextAsync("deploy script");
        await AssertAccessibleAsync(ada.Page, "tokens (a token made, shown once)");

        var api = Api(token);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(api, slug, "Deployed *1.4.2*")).StatusCode);
        var arrived = grace.Messages.Filter(new() { HasText = "Deployed" });
        await Expect(arrived.Locator(".author")).ToHaveTextAsync("Ada Tokens");
        await Expect(arrived.Locator(".body em")).ToHaveTextAsync("1.4.2");

        // shown once: a reload of the list does not show it again
        await ada.Page.GotoAsync("/Account/Tokens");
        await Expect(ada.Page.GetByLabel("Token", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.DoesNotContain(token, await ada.Page.ContentAsync());

        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Revoke deploy script" }).ClickAsync();
        await Expect(ada.Page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Revoked: the token no longer works.");
        await Expect(ada.Page.GetByText("None yet.")).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
        Assert.DoesNotContain(ada.ConsoleMessages, m => m.StartsWith("error") || m.StartsWith("pageerror"));
    }

    [Fact]
    public async Task The_tokens_page_works_without_JavaScript()
    {
        await using var ada = await app.SignUpAsync("Ada NoScript Tokens");
        var slug = await ada.CreateRoomAsync("Quiet tokens");
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, JavaScriptEnabled = false });
        await context.AddCookiesAsync((await ada.Context.CookiesAsync()).Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Tokens");

        // a mistake is said on the page
        await page.GetByLabel("read the rooms and messages you can read").UncheckAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("nothing allowed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make token" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Choose what the token may do: read, post or both.");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("nightly report");
        await page.GetByLabel("Expires").SelectOptionAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make token" }).ClickAsync();
        var token = await page.GetByLabel("Token", new() { Exact = true }).InputValueAsync();
        await Expect(page.Locator("#tokens-title + ul li")).ToContainTextAsync("never expires");

        var api = Api(token);
        var messages = await api.GetStringAsync($"/api/v1/rooms/{slug}/messages");
        Assert.Contains("\"messages\":[]", messages);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(api, slug, "read only")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke nightly report" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Revoked: the token no longer works.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task The_API_reference_is_accessible_and_keeps_the_CSP()
    {
        await using var ada = await app.SignUpAsync("Ada Reads Docs");
        await ada.Page.GotoAsync("/Account/Tokens");
        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "HTTP API" }).ClickAsync();
        await Expect(ada.Page.Locator("h1")).ToHaveTextAsync("The ChatterWeb HTTP API");
        await Expect(ada.Page.Locator("table.api-operations tbody tr")).ToHaveCountAsync(6);
        await Expect(ada.Page.Locator("table.api-operations")).ToContainTextAsync("POST /api/v1/rooms/{slug}/messages");
        await AssertAccessibleAsync(ada.Page, "API reference");
        Assert.DoesNotContain(ada.ConsoleMessages, m => m.Contains("Content Security Policy") || m.StartsWith("error") || m.StartsWith("pageerror"));
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on the {what} page:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

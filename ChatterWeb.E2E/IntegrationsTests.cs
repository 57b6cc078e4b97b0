using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// Incoming webhooks in a real browser: a room's creator makes one on the integrations page (axe-clean),
/// the payloads Alertmanager, Grafana and GitHub Actions send arrive live in two people's open rooms with
/// the hook's name and a "bot" badge, and the page is managed with JavaScript off.
/// </summary>
public sealed class IntegrationsTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static async Task PostHookAsync(string url, string json)
    {
        using var http = new HttpClient();
        var response = await http.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tools_post_through_a_hook_and_everyone_in_the_room_sees_it_live()
    {
        await using var ada = await app.SignUpAsync("Ada Hooks");
        await using var grace = await app.SignUpAsync("Grace Hooks");
        var slug = await ada.CreateRoomAsync("Ops alerts");

        await ada.Page.GetByRole(AriaRole.Link, new() { Name = "Integrations" }).ClickAsync();
        await Expect(ada.Page.Locator("h1")).ToContainTextAsync("Integrations of");
        await AssertAccessibleAsync(ada.Page, "integrations (empty)");
        await ada.Page.GetByLabel("Name", new() { Exact = true }).FillAsync("Monitoring");
        await ada.Page.GetByLabel("Avatar", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🚨 police light" });
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        var url = await ada.Page.GetByLabel("Webhook URL").InputValueAsync();
        Assert.StartsWith(app.BaseUrl + "/hooks/cwh_", url);
        await AssertAccessibleAsync(ada.Page, "integrations (a hook made, its URL shown)");

        await ada.OpenRoomAsync(slug);
        await grace.OpenRoomAsync(slug);
        await PostHookAsync(url, Fixture("alertmanager.json"));
        await PostHookAsync(url, Fixture("grafana.json"));
        await PostHookAsync(url, Fixture("github-actions.json"));
        foreach (var person in new[] { ada, grace })
        {
            await Expect(person.Messages).ToHaveCountAsync(3);
            await Expect(person.Messages.Nth(0).Locator(".body a").First).ToHaveTextAsync("[FIRING:1] InstanceDown (node-exporter 10.0.0.7:9100 critical)");
            await Expect(person.Messages.Nth(0).Locator(".body blockquote strong", new() { HasText = "Alert:" })).ToBeVisibleAsync();
            await Expect(person.Messages.Nth(1).Locator(".body")).ToContainTextAsync("alertname = HighCPU");
            await Expect(person.Messages.Nth(2).Locator(".body a")).ToHaveAttributeAsync("href", "https://github.com/acme/shop/actions/runs/4242");
            await Expect(person.Messages.Nth(0).Locator(".author")).ToHaveTextAsync("Monitoring");
            await Expect(person.Messages.Nth(0).Locator(".bot-badge")).ToHaveTextAsync("bot");
            await Expect(person.Messages.Nth(0).Locator(".avatar.face")).ToHaveTextAsync("🚨");
        }
        await AssertAccessibleAsync(grace.Page, "room with bot messages");
        Assert.DoesNotContain(ada.ConsoleMessages, m => m.StartsWith("error") || m.StartsWith("pageerror"));
    }

    [Fact]
    public async Task The_integrations_page_works_without_JavaScript()
    {
        await using var ada = await app.SignUpAsync("Ada NoScript");
        var slug = await ada.CreateRoomAsync("Quiet hooks");
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, JavaScriptEnabled = false });
        await context.AddCookiesAsync((await ada.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/rooms/{slug}/integrations");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nightly build");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        var url = await page.GetByLabel("Webhook URL").InputValueAsync();

        await page.GetByLabel("New name for Nightly build").FillAsync("Nightly CI");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Renamed.");
        await PostHookAsync(url, """{"text":"nightly *green*"}""");
        await page.GotoAsync($"/rooms/{slug}");
        await Expect(page.Locator("#messages article .author")).ToHaveTextAsync("Nightly CI");
        await Expect(page.Locator("#messages article .body strong")).ToHaveTextAsync("green");

        await page.GotoAsync($"/rooms/{slug}/integrations");
        await page.GetByRole(AriaRole.Button, new() { Name = "New URL for Nightly CI" }).ClickAsync();
        Assert.NotEqual(url, await page.GetByLabel("Webhook URL").InputValueAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Nightly CI" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Deleted.");
        await Expect(page.GetByText("None yet.")).ToBeVisibleAsync();
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on the {what} page:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

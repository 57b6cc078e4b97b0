using ChatterWeb.Accounts;
using ChatterWeb.Data;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// <c>/admin/bots</c> in a real browser, with JavaScript on (axe on every state: empty, an error, the
/// secret shown once, a bot's page with a token and a delivery log) and off (made, token made and
/// revoked, changed, deleted: plain forms all the way).
/// </summary>
public sealed class BotsTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    /// <summary>A new person made an administrator (the role the first account of a database gets).</summary>
    private async Task<Person> AdministratorAsync(string name)
    {
        var person = await app.SignUpAsync(name);
        await using var scope = app.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(Administrators.Role))
            await roles.CreateAsync(new IdentityRole(Administrators.Role));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatUser>>();
        var user = (await users.FindByEmailAsync(person.Email))!;
        if (!await users.IsInRoleAsync(user, Administrators.Role))
            await users.AddToRoleAsync(user, Administrators.Role);
        return person;
    }

    [Fact]
    public async Task An_administrator_makes_a_bot_gives_it_a_token_and_reads_its_log()
    {
        await using var admin = await AdministratorAsync("Ada Bots");
        var slug = await admin.CreateRoomAsync("Bot room");
        var page = admin.Page;

        await page.GotoAsync("/admin/bots");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Bots");
        await AssertAccessibleAsync(page, "bots (none yet)");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Deploy Bot");
        await page.GetByLabel("Avatar", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "🚀 rocket" });
        await page.GetByLabel("Webhook URL").FillAsync("http://bots.example.com/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add bot" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("bots.example.com is not an allowed host");
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Deploy Bot");
        await Expect(page.GetByLabel("Avatar", new() { Exact = true })).ToHaveValueAsync("🚀"); // the choice survives the refusal
        await AssertAccessibleAsync(page, "bots (a refused URL)");

        // port 9 on loopback: nobody listens, so every call fails, and the log says so
        await page.GetByLabel("Webhook URL").FillAsync("http://127.0.0.1:9/hook");
        await page.GetByLabel("Commands").FillAsync("deploy");
        await page.GetByLabel("#Bot room").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add bot" }).ClickAsync();
        var secret = await page.GetByLabel("Signing secret of Deploy Bot").InputValueAsync();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", secret);
        await Expect(page.Locator("#bots-title + ul li", new() { HasText = "Deploy Bot" })).ToContainTextAsync("/deploy");
        await Expect(page.Locator("#bots-title + ul li", new() { HasText = "Deploy Bot" }).Locator(".avatar.face")).ToHaveTextAsync("🚀");
        await AssertAccessibleAsync(page, "bots (a bot made, its secret shown)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Deploy Bot" }).First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Deploy Bot");
        await Expect(page.GetByText("No calls yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Token name").FillAsync("ci");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a token" }).ClickAsync();
        await Expect(page.Locator("#revealed-title")).ToHaveTextAsync("The API token “ci”", new() { Timeout = 60_000 });
        Assert.StartsWith("cwt_", await page.Locator("#revealed-value").InputValueAsync());
        await AssertAccessibleAsync(page, "a bot (a token shown)");

        await admin.OpenRoomAsync(slug);
        await admin.SendAsync("/deploy now");
        await page.GotoAsync("/admin/bots");
        await page.GetByRole(AriaRole.Link, new() { Name = "Deploy Bot" }).First.ClickAsync();
        var failed = page.Locator("table.delivery-log tbody tr[data-outcome='Failed']");
        for (var i = 0; i < 60 && await failed.CountAsync() == 0; i++)
        {
            await Task.Delay(500); // the calls and their retries take a few seconds; the page is read again
            await page.ReloadAsync();
        }
        await Expect(failed).ToContainTextAsync("/deploy");
        await Expect(failed).ToContainTextAsync("Could not be sent");
        await AssertAccessibleAsync(page, "a bot (its delivery log)");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Deploy Bot" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Deleted");
        await Expect(page.GetByText("None yet.")).ToBeVisibleAsync();
        // the one error the browser logs is the refused form's 400, which the test asked for
        Assert.DoesNotContain(admin.ConsoleMessages, m => (m.StartsWith("error") && !m.Contains("status of 400")) || m.StartsWith("pageerror"));
    }

    [Fact]
    public async Task The_bots_pages_work_without_JavaScript()
    {
        await using var admin = await AdministratorAsync("Ada NoScript Bots");
        await admin.CreateRoomAsync("Quiet bots");
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl, JavaScriptEnabled = false });
        await context.AddCookiesAsync((await admin.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        var page = await context.NewPageAsync();
        await page.GotoAsync("/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bots", Exact = true }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Quiet Bot");
        await page.GetByLabel("Webhook URL").FillAsync("http://127.0.0.1:9/quiet");
        await page.GetByLabel("Signing secret", new() { Exact = true }).FillAsync("a-secret-typed-by-hand");
        await page.GetByLabel("#Quiet bots").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add bot" }).ClickAsync();
        await Expect(page.GetByLabel("Signing secret of Quiet Bot")).ToHaveValueAsync("a-secret-typed-by-hand");

        await page.GetByRole(AriaRole.Link, new() { Name = "its page" }).ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("Quiet Bot");
        await page.GetByLabel("Token name").FillAsync("reader");
        await page.GetByLabel("post", new() { Exact = true }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Make a token" }).ClickAsync();
        await Expect(page.Locator("#revealed-title")).ToHaveTextAsync("The API token “reader”", new() { Timeout = 60_000 });
        Assert.StartsWith("cwt_", await page.Locator("#revealed-value").InputValueAsync());
        await Expect(page.Locator(".tokens li")).ToContainTextAsync("(read;");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke reader" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Revoked: the token no longer works.");

        await page.GetByLabel("Commands").FillAsync("hush");
        await page.GetByLabel("#Quiet bots").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("Saved.");
        await Expect(page.GetByLabel("Commands")).ToHaveValueAsync("hush");
        await Expect(page.GetByLabel("#Quiet bots")).Not.ToBeCheckedAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Quiet Bot" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Deleted");
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0, $"axe on the {what} page:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// The administrators' pages in a real browser: an administrator deactivates someone who has a room
/// open in another browser (their page loses its socket, a reload lands on the sign-in page), then
/// reactivates them from a browser without JavaScript; axe finds nothing on any admin page.
/// </summary>
public sealed class AdminTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task An_administrator_deactivates_someone_who_has_the_room_open_and_reactivates_them_without_JavaScript()
    {
        await using var admin = await app.SignUpAsync("Ada Admin"); // the first account: an administrator
        await using var eve = await app.SignUpAsync("Eve Open");
        await eve.OpenRoomAsync("general");
        await eve.SendAsync("a message that stays");
        await Expect(eve.Page.Locator("body")).ToHaveAttributeAsync("data-stream", "open");

        await admin.Page.GotoAsync("/admin/people");
        await AssertAccessibleAsync(admin.Page, "people");
        await admin.Page.GetByLabel("Name or email").FillAsync("Eve Open");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Deactivate Eve Open" }).ClickAsync();
        await Expect(admin.Page.Locator("p.form-status")).ToContainTextAsync("Deactivated");
        await Expect(admin.Page.Locator("#people tr", new() { HasText = "Eve Open" })).ToContainTextAsync("deactivated");
        await AssertAccessibleAsync(admin.Page, "people (after a deactivation)");

        // Her open page: the socket is closed by the server (and stays closed); a reload is the sign-in page.
        await Expect(eve.Page.Locator("body")).Not.ToHaveAttributeAsync("data-stream", "open", new() { Timeout = 5_000 });
        await eve.Page.ReloadAsync();
        await Expect(eve.Page).ToHaveURLAsync(new Regex("/Account/Login"));

        // Her message stays under her name.
        await admin.OpenRoomAsync("general");
        await Expect(admin.Messages.Filter(new() { HasText = "a message that stays" })).ToContainTextAsync("Eve Open");

        await admin.Page.GotoAsync("/admin/audit?action=deactivated");
        await Expect(admin.Page.Locator("#audit tbody tr")).ToHaveCountAsync(1);
        await AssertAccessibleAsync(admin.Page, "audit");
        await admin.Page.GotoAsync("/admin/rooms");
        await AssertAccessibleAsync(admin.Page, "rooms");

        // The same administrator in a browser without JavaScript: plain forms all the way.
        var noScript = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl, JavaScriptEnabled = false });
        try
        {
            var page = await noScript.NewPageAsync();
            await page.GotoAsync("/Account/Login");
            await page.Locator("[name='Input.Email']").FillAsync(admin.Email);
            await page.Locator("[name='Input.Password']").FillAsync(Person.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.GotoAsync("/admin/people?q=Eve");
            await page.GetByRole(AriaRole.Button, new() { Name = "Reactivate Eve Open" }).ClickAsync();
            await Expect(page.Locator("p.form-status")).ToContainTextAsync("Reactivated");
            await page.GotoAsync("/admin/audit?action=reactivated");
            await Expect(page.Locator("#audit tbody tr")).ToHaveCountAsync(1);
        }
        finally
        {
            await noScript.CloseAsync();
        }

        // She signs in again.
        await eve.Page.Locator("[name='Input.Email']").FillAsync(eve.Email);
        await eve.Page.Locator("[name='Input.Password']").FillAsync(Person.Password);
        await eve.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(eve.Page).ToHaveURLAsync(new Regex("/rooms/general$"));
        await eve.WaitUntilConnectedAsync();

        // Archiving a room: the list marks it, the room reads as before with a notice instead of the composer.
        var slug = await admin.CreateRoomAsync("Old plans");
        await admin.SendAsync("the plan we kept");
        await admin.Page.GotoAsync("/admin/rooms");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Archive #Old plans" }).ClickAsync();
        await Expect(admin.Page.Locator("p.form-status")).ToContainTextAsync("Archived");
        await Expect(admin.Page.Locator("#rooms tr", new() { HasText = "Old plans" })).ToContainTextAsync("(archived)");
        await AssertAccessibleAsync(admin.Page, "rooms (after an archive)");
        await eve.OpenRoomAsync(slug);
        await Expect(eve.Messages.Filter(new() { HasText = "the plan we kept" })).ToHaveCountAsync(1);
        await Expect(eve.Page.Locator("#archived")).ToContainTextAsync("This room is archived");
        await Expect(eve.Composer).ToHaveCountAsync(0);
        await AssertAccessibleAsync(eve.Page, "archived room");
    }

    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        AxeResult result = await page.RunAxe();
        Assert.True(!result.Violations.Any(), $"axe on the admin {what} page:\n" + string.Join("\n", result.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

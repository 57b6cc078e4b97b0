using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// Signing up as a new person would: the browser checks the fields first (required, length), and
/// whatever reaches the server anyway (the browser's checks removed) gets a friendly, specific
/// message, once, never an error page; the most common passwords are refused.
/// </summary>
public class SignUpFormTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private async Task<IPage> FormAsync()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Register");
        return page;
    }

    /// <summary>Fills and sends the form; <paramref name="withoutBrowserChecks"/> sends it as a script or an old browser would.</summary>
    private static async Task SubmitAsync(IPage page, string email, string name, string password, bool withoutBrowserChecks = true)
    {
        if (withoutBrowserChecks)
            await page.EvaluateAsync("() => document.querySelector('form.stack').setAttribute('novalidate', '')");
        await page.Locator("[name='Input.Email']").FillAsync(email);
        await page.Locator("[name='Input.DisplayName']").FillAsync(name);
        await page.Locator("[name='Input.Password']").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();
    }

    [Fact]
    public async Task The_browser_checks_the_fields_before_anything_is_sent()
    {
        var page = await FormAsync();
        Assert.True(await page.Locator("[name='Input.Email']").EvaluateAsync<bool>("e => e.required"));
        Assert.True(await page.Locator("[name='Input.DisplayName']").EvaluateAsync<bool>("e => e.required"));
        Assert.Equal(8, await page.Locator("[name='Input.Password']").EvaluateAsync<int>("e => e.minLength"));
        await SubmitAsync(page, $"blank.{Guid.NewGuid():N}@example.test", "   ", "long enough password", withoutBrowserChecks: false);
        await Expect(page).ToHaveURLAsync(new Regex("/Account/Register$")); // not sent: a blank name does not match the pattern
        Assert.False(await page.Locator("[name='Input.DisplayName']").EvaluateAsync<bool>("e => e.validity.valid"));
    }

    [Fact]
    public async Task What_reaches_the_server_anyway_gets_a_friendly_message_once_and_never_an_error_page()
    {
        var page = await FormAsync();

        // A blank display name (was a 500).
        await SubmitAsync(page, $"blank.{Guid.NewGuid():N}@example.test", "   ", "long enough password");
        await Expect(page.Locator("[data-valmsg-for='Input.DisplayName']")).ToHaveTextAsync("Choose a display name people will recognise.");

        // A short password, in words, not the framework's.
        await SubmitAsync(page, $"short.{Guid.NewGuid():N}@example.test", "Shorty", "short");
        await Expect(page.Locator("[data-valmsg-for='Input.Password']")).ToHaveTextAsync("Use at least 8 characters for your password.");
        Assert.Empty(await AccessibilityTests.ViolationsAsync(page, "the sign-up form with an error")); // axe: the messages are tied to their fields

        // The most common passwords.
        foreach (var common in new[] { "aaaaaaaa", "password123", "12345678", "qwertyuiop" })
        {
            await SubmitAsync(page, $"common.{Guid.NewGuid():N}@example.test", "Common", common);
            await Expect(page.Locator("[data-valmsg-for='Input.Password']")).ToContainTextAsync("one of the first an attacker would try");
        }

        // A taken address: said once.
        var email = $"taken.{Guid.NewGuid():N}@example.test";
        await SubmitAsync(page, email, "First", "correct horse battery staple");
        await Expect(page).ToHaveURLAsync(new Regex("/rooms$"));
        var again = await FormAsync();
        await SubmitAsync(again, email, "Second", "correct horse battery staple");
        await Expect(again.GetByText("An account with that email already exists.")).ToHaveCountAsync(1);
    }
}

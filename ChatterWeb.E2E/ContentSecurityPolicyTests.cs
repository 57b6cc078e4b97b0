using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>The strict CSP (no inline script, no eval, nonce'd style) holds on a working room page.</summary>
public sealed class ContentSecurityPolicyTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task The_room_page_works_without_a_single_CSP_violation()
    {
        await using var ada = await app.SignUpAsync("Ada");
        await using var grace = await app.SignUpAsync("Grace");
        var slug = await ada.CreateRoomAsync("Policy");
        await ada.PostViaFormAsync(slug, Enumerable.Range(1, 60).Select(i => $"seed {i}"));

        // The header is really there (without it no violation could ever be reported).
        var response = await ada.Page.GotoAsync($"/rooms/{slug}");
        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.NotNull(csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);

        // Exercise everything the page does: socket, presence, send, receive, load older, time formatting, the "(you)" style.
        await ada.WaitUntilConnectedAsync();
        await grace.OpenRoomAsync(slug);
        await Expect(ada.Presence).ToContainTextAsync("Grace");
        await ada.SendAsync("hello from Ada");
        await grace.SendAsync("hello from Grace");
        await Expect(ada.Bodies.Last).ToHaveTextAsync("hello from Grace");
        await ada.LoadOlderAsync();
        await Expect(ada.Page.Locator("#older")).ToHaveTextAsync("This is the beginning of the room.");
        await Expect(ada.Messages).ToHaveCountAsync(62);
        await Expect(ada.Page.Locator("time[data-local]")).ToHaveCountAsync(62);
        var youSuffix = await ada.Page.Locator("#m-61 .author").EvaluateAsync<string>("e => getComputedStyle(e, '::after').content");
        Assert.Contains("(you)", youSuffix); // the nonce'd inline style applied

        // Positive control: a real violation is seen by the same listener, so "none" above is not blindness.
        await ada.Page.RunAndWaitForConsoleMessageAsync(
            () => ada.Page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__cspBreached = true'; document.body.appendChild(s); }"),
            new() { Predicate = m => IsCspViolation(m.Text) });
        Assert.False(await ada.Page.EvaluateAsync<bool>("() => window.__cspBreached === true"));

        var violations = ada.ConsoleMessages.Where(IsCspViolation).ToList();
        Assert.Single(violations);
        Assert.Contains("inline script", violations[0]);
        Assert.DoesNotContain(grace.ConsoleMessages, IsCspViolation);
    }

    private static bool IsCspViolation(string consoleText) =>
        consoleText.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase);
}

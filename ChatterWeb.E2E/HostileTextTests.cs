using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>Markup typed into the composer is shown as the text it is, for everyone.</summary>
public sealed class HostileTextTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private static readonly string[] Hostile =
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(2)</script>",
        "<a href=\"/rooms\" hx-get=\"/rooms\" hx-trigger=\"load\" hx-target=\"body\">htmx</a> & &amp; \"quotes\"",
    ];

    [Fact]
    public async Task Hostile_text_shows_literally_and_runs_nothing()
    {
        await using var mallory = await app.SignUpAsync("Mallory <b>bold</b>");
        await using var ada = await app.SignUpAsync("Ada");
        var slug = await mallory.CreateRoomAsync("Hostile");
        await ada.OpenRoomAsync(slug);

        foreach (var text in Hostile)
            await mallory.SendAsync(text);

        // Live push (Ada), the sender's own page, and a fresh render after reload all show the literal text.
        await Expect(ada.Bodies).ToHaveTextAsync(Hostile);
        await Expect(mallory.Bodies).ToHaveTextAsync(Hostile);
        await Expect(ada.Messages.First.Locator(".author")).ToHaveTextAsync("Mallory <b>bold</b>");
        await ada.Page.ReloadAsync();
        await ada.WaitUntilConnectedAsync();
        await Expect(ada.Bodies).ToHaveTextAsync(Hostile);

        foreach (var person in new[] { ada, mallory })
        {
            // Nothing became an element: no image to fail and fire onerror, no script, no link in a body, no <b>.
            await Expect(person.Page.Locator("#messages img, #messages script, #messages .body a, #messages b")).ToHaveCountAsync(0);
            await Expect(person.Page.Locator("#presence b")).ToHaveCountAsync(0);
            Assert.Equal("/rooms/" + slug, new Uri(person.Page.Url).AbsolutePath); // the hx-get "load" never fired
        }

        // A late dialog would have to come from the messages above; the page's own round trip proves it has settled.
        await ada.SendAsync("still here");
        await Expect(mallory.Bodies.Last).ToHaveTextAsync("still here");
        Assert.Empty(ada.Dialogs);
        Assert.Empty(mallory.Dialogs);
    }
}

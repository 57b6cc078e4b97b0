using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>A picture of a lived-in room, for the README: artifacts/screenshots/room.png (1280x800).</summary>
public sealed class ScreenshotTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    public static string ScreenshotPath => Path.Combine(RepositoryRoot.Path, "artifacts", "screenshots", "room.png");

    [Fact]
    public async Task Room_page_screenshot_is_saved_as_an_artifact()
    {
        await using var ada = await app.SignUpAsync("Ada Lovelace");
        await using var grace = await app.SignUpAsync("Grace Hopper");
        var slug = await ada.CreateRoomAsync("Design review");
        await grace.OpenRoomAsync(slug);
        await Expect(ada.Presence.Locator("li")).ToHaveTextAsync(new Regex[] { new("Ada Lovelace$"), new("Grace Hopper$") });

        (Person Who, string Text)[] conversation =
        [
            (ada, "Morning! The new sidebar mock-ups are in the shared folder."),
            (grace, "Looking now. I like that rooms are sorted by name, it's easier to scan."),
            (grace, "Could unread rooms be bold? I keep missing #ops."),
            (ada, "Good call. I'll add an unread count next to the name too."),
            (grace, "And the composer: Enter sends, Shift+Enter for a new line?"),
            (ada, "Exactly, same as everywhere else. Draft PR is up in ten minutes."),
            (grace, "Great, I'll review it after stand-up."),
        ];
        foreach (var (who, text) in conversation)
            await who.SendAsync(text);
        await Expect(ada.Bodies).ToHaveTextAsync(conversation.Select(c => c.Text).ToArray());
        await Expect(ada.Page.Locator("time[data-local]")).ToHaveCountAsync(conversation.Length);
        await ada.Composer.FillAsync("Thanks both!");

        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Delete(ScreenshotPath);
        await ada.Page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath });

        var png = await File.ReadAllBytesAsync(ScreenshotPath);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1280, ReadBigEndian(png, 16)); // IHDR width
        Assert.Equal(800, ReadBigEndian(png, 20));  // IHDR height
        Assert.True(png.Length > 20_000, $"The screenshot is suspiciously small ({png.Length} bytes): a blank page?");
    }

    private static int ReadBigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

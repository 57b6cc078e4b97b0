using System.Text.RegularExpressions;
using ChatterWeb.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// The README's pictures, taken from the real app at every run so they cannot go stale: a lived-in
/// room on a desktop (docs/screenshots/room.png, 1280x800), the same room on a phone
/// (room-phone.png, 390x844) and in dark mode (room-dark.png, 1280x800).
/// </summary>
public sealed class ScreenshotTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    public static string Folder => Path.Combine(RepositoryRoot.Path, "docs", "screenshots");

    [Fact]
    public async Task The_READMEs_screenshots_are_taken_from_a_lived_in_room()
    {
        await using var ada = await app.SignUpAsync("Ada Lovelace");
        await using var grace = await app.SignUpAsync("Grace Hopper");
        var slug = await ada.CreateRoomAsync("Design review");
        await ada.CreateRoomAsync("Ops");
        await ada.OpenRoomAsync(slug);
        await grace.OpenRoomAsync(slug);
        await Expect(ada.Presence.Locator("li")).ToHaveTextAsync([new Regex("Ada Lovelace$"), new Regex("Grace Hopper$")]);

        (Person Who, string Text)[] conversation =
        [
            (ada, "Morning! The new sidebar mock-ups are in the shared folder."),
            (ada, "Rooms are sorted by name now, and unread ones are **bold** with a count."),
            (grace, "Looking now. It's much easier to scan."),
            (grace, "Could the phone get the same list? I keep missing #ops on the train."),
            (ada, "Yes: a drawer behind the menu button, with your direct messages too."),
            (grace, "And the composer: `Enter` sends, `Shift+Enter` for a new line?"),
            (ada, "Exactly, same as everywhere else. Draft PR is up in ten minutes."),
            (grace, "Great, I'll review it after stand-up."),
        ];
        for (var i = 0; i < conversation.Length; i++)
        {
            // Typed and sent as a person would; formatting shows otherwise than typed, so wait for the message's number.
            var (who, text) = conversation[i];
            await who.Composer.FillAsync(text);
            await who.Composer.PressAsync("Enter");
            await Expect(who.Composer).ToHaveValueAsync("");
            await Expect(ada.Page.Locator($"#m-{i + 1}")).ToBeVisibleAsync();
        }
        await Expect(ada.Messages).ToHaveCountAsync(conversation.Length);
        await Expect(ada.Page.Locator("time[data-local]")).ToHaveCountAsync(conversation.Length);
        await ada.Composer.FillAsync("Thanks both!");
        Directory.CreateDirectory(Folder);

        // The desktop, light.
        await ShootAsync(ada.Page, "room.png", 1280, 800);

        // Dark, as a person whose system is dark sees it.
        await ada.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        Assert.Equal("dark", await ada.Page.EvaluateAsync<string>("() => matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'"));
        Assert.True(await ada.Page.EvaluateAsync<bool>(DarkBackground), "the room is not dark");
        await ShootAsync(ada.Page, "room-dark.png", 1280, 800);

        // A phone: the same room in one column, its menus folded. It opens where Ada stopped reading, so
        // first her desktop tab's read mark must have reached the last message (it is sent a moment after
        // a message is seen; on a busy machine the phone could otherwise open at the unread divider).
        await ReadUpToAsync(slug, ada.Email, conversation.Length);
        var phone = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl, StorageState = await ada.Context.StorageStateAsync(),
            ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true, DeviceScaleFactor = 1,
            Locale = "en-GB", TimezoneId = "Europe/London",
        });
        var page = await phone.NewPageAsync();
        await page.GotoAsync($"/rooms/{slug}");
        await Expect(page.Locator("#presence li[data-user-id]").First).ToBeAttachedAsync();
        await Expect(page.Locator("time[data-local]")).ToHaveCountAsync(conversation.Length);
        await Expect(page.Locator($"#m-{conversation.Length}")).ToBeInViewportAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Rooms and menu" })).ToBeVisibleAsync();
        Assert.Empty(await PhoneLayoutTests.OverflowAsync(page));
        await ShootAsync(page, "room-phone.png", 390, 844);
        await phone.CloseAsync();
    }

    private async Task ReadUpToAsync(string slug, string email, long seq)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ChatterDbContext>();
                var read = await (from m in db.Memberships
                                  join r in db.Rooms on m.RoomId equals r.Id
                                  join u in db.Users on m.UserId equals u.Id
                                  where r.Slug == slug && u.Email == email
                                  select m.LastReadSeq).SingleAsync();
                if (read >= seq)
                    return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{email}'s read mark never reached {seq}");
            await Task.Delay(100);
        }
    }

    private const string DarkBackground = """
        () => {
          const [r, g, b] = getComputedStyle(document.querySelector("main.room")).backgroundColor.match(/\d+/g).map(Number);
          return 0.2126 * r + 0.7152 * g + 0.0722 * b < 80;
        }
        """;

    private static async Task ShootAsync(IPage page, string name, int width, int height)
    {
        var path = Path.Combine(Folder, name);
        File.Delete(path);
        await page.Locator("#body").BlurAsync(); // no caret blinking into the picture
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });

        var png = await File.ReadAllBytesAsync(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(width, ReadBigEndian(png, 16)); // IHDR width
        Assert.Equal(height, ReadBigEndian(png, 20)); // IHDR height
        Assert.True(png.Length > 15_000, $"{name} is suspiciously small ({png.Length} bytes): a blank page?");
    }

    private static int ReadBigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

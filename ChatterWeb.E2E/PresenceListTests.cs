using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// "Here now" stays right and in name order while the server sends only who arrived and who left
/// after the whole list a page gets when its socket opens.
/// </summary>
public sealed class PresenceListTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task Arrivals_are_placed_by_name_and_departures_are_removed_live()
    {
        await using var zoe = await app.SignUpAsync("Zoe Presence");
        var room = await zoe.CreateRoomAsync("Who is here");
        await Expect(zoe.Presence.Locator("li")).ToHaveTextAsync([new Regex("Zoe Presence$")]);

        await using var ann = await app.SignUpAsync("ann Presence"); // lower case sorts as a person would, not by code point
        await ann.OpenRoomAsync(room);
        await using var mia = await app.SignUpAsync("Mia Presence");
        await mia.OpenRoomAsync(room);

        var everyone = new Regex[] { new("ann Presence$"), new("Mia Presence$"), new("Zoe Presence$") };
        await Expect(zoe.Presence.Locator("li")).ToHaveTextAsync(everyone); // told of each arrival
        await Expect(mia.Presence.Locator("li")).ToHaveTextAsync(everyone); // her first list, then nothing doubled

        await mia.OpenRoomAsync("general"); // she leaves the room
        await Expect(zoe.Presence.Locator("li")).ToHaveTextAsync([new Regex("ann Presence$"), new Regex("Zoe Presence$")]);
        await Expect(ann.Presence.Locator("li")).ToHaveTextAsync([new Regex("ann Presence$"), new Regex("Zoe Presence$")]);

        await mia.OpenRoomAsync(room); // and comes back
        await Expect(zoe.Presence.Locator("li")).ToHaveTextAsync(everyone);
        Assert.DoesNotContain(zoe.ConsoleMessages, m => m.StartsWith("error", StringComparison.Ordinal) || m.StartsWith("pageerror", StringComparison.Ordinal));
    }
}

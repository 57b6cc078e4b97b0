using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>People chat live in a room, other rooms see nothing of it, a reload keeps it.</summary>
public sealed class LiveChatTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    [Fact]
    public async Task Two_people_see_each_others_messages_live_in_order_and_the_composer_clears()
    {
        await using var ada = await app.SignUpAsync("Ada Lovelace");
        await using var grace = await app.SignUpAsync("Grace Hopper");
        var slug = await ada.CreateRoomAsync("Live chat");
        await grace.OpenRoomAsync(slug);
        await Expect(ada.Presence).ToContainTextAsync("Grace Hopper"); // Ada's page learns who joined, live
        // A mark on each page's window: it survives only if the page is never reloaded.
        foreach (var page in new[] { ada.Page, grace.Page })
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        string[] said =
        [
            "Morning Grace, is the build green?",
            "Morning! Green since 9:05.",
            "Great, I'll cut the release.",
            "Tag it 2.4.0 please",
            "Done: 2.4.0 is out.",
        ];
        for (var i = 0; i < said.Length; i++)
        {
            var (sender, receiver) = i % 2 == 0 ? (ada, grace) : (grace, ada);
            await sender.Composer.FillAsync(said[i]);
            await sender.Composer.PressAsync("Enter");
            await Expect(sender.Composer).ToHaveValueAsync(""); // cleared on the server's acknowledgement
            // The other person sees it without reloading, after everything said before it.
            await Expect(receiver.Bodies).ToHaveTextAsync(said[..(i + 1)]);
            await Expect(sender.Bodies).ToHaveTextAsync(said[..(i + 1)]);
        }

        foreach (var page in new[] { ada.Page, grace.Page })
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page reloaded.");
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await ada.SeqsAsync());
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, await grace.SeqsAsync());
        await Expect(grace.Messages.Nth(1).Locator(".author")).ToHaveTextAsync("Grace Hopper");
        await Expect(grace.Messages.Nth(0).Locator(".author")).ToHaveTextAsync("Ada Lovelace");
        Assert.Empty(ada.Dialogs);
        Assert.Empty(grace.Dialogs);
    }

    [Fact]
    public async Task A_person_in_another_room_sees_nothing_of_it()
    {
        await using var ada = await app.SignUpAsync("Ada");
        await using var grace = await app.SignUpAsync("Grace");
        await using var linus = await app.SignUpAsync("Linus");
        var secret = await ada.CreateRoomAsync("Release plans");
        await grace.OpenRoomAsync(secret);
        var elsewhere = await linus.CreateRoomAsync("Kernel talk");

        await ada.SendAsync("launch date is the 14th");
        await grace.SendAsync("keep it quiet until then");
        await Expect(ada.Bodies).ToHaveTextAsync(["launch date is the 14th", "keep it quiet until then"]);

        // A barrier: a message in Linus's room reaches his live socket after anything pushed to it before.
        await linus.SendAsync("anyone seen the scheduler patch?");
        await Expect(linus.Bodies).ToHaveTextAsync(["anyone seen the scheduler patch?"]);
        await Expect(linus.Page.Locator("#messages")).Not.ToContainTextAsync("launch date");
        await Expect(linus.Page.Locator("body")).Not.ToContainTextAsync("keep it quiet");
        await Expect(linus.Presence.Locator("li")).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("Linus")]);
        await Expect(ada.Page.Locator("#messages")).Not.ToContainTextAsync("scheduler");

        // Nor does a fresh load of Linus's room, or the general room, show it.
        await linus.Page.ReloadAsync();
        await Expect(linus.Bodies).ToHaveTextAsync(["anyone seen the scheduler patch?"]);
        await linus.OpenRoomAsync("general");
        await Expect(linus.Page.Locator("#messages")).Not.ToContainTextAsync("launch date");
        Assert.NotEqual(secret, elsewhere);
    }

    [Fact]
    public async Task A_reload_keeps_the_history_in_order()
    {
        await using var ada = await app.SignUpAsync("Ada L");
        await using var grace = await app.SignUpAsync("Grace H");
        var slug = await ada.CreateRoomAsync("History");
        await grace.OpenRoomAsync(slug);

        string[] said = ["one", "two", "three", "four"];
        for (var i = 0; i < said.Length; i++)
            await (i % 2 == 0 ? ada : grace).SendAsync(said[i]);
        await Expect(ada.Bodies).ToHaveTextAsync(said);

        foreach (var person in new[] { ada, grace })
        {
            await person.Page.ReloadAsync();
            await Expect(person.Bodies).ToHaveTextAsync(said);
            Assert.Equal(new long[] { 1, 2, 3, 4 }, await person.SeqsAsync());
            await Expect(person.Page.Locator("#older")).ToHaveTextAsync("This is the beginning of the room.");
        }
        // A page opened from scratch (a new sign-in) shows the same history.
        await using var third = await app.SignUpAsync("Late Comer");
        await third.OpenRoomAsync(slug);
        await Expect(third.Bodies).ToHaveTextAsync(said);
        await Expect(third.Messages.Locator(".author")).ToHaveTextAsync(["Ada L", "Grace H", "Ada L", "Grace H"]);
    }
}

using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// <c>@here</c> and <c>@room</c> in real browsers: whom <c>@here</c> reaches (the highlight, and the
/// badge of the one it does not), and the question before one that reaches more than <see cref="RoomWideApp.ConfirmAbove"/>
/// people, answered from the keyboard, with axe on the question.
/// </summary>
public sealed class RoomWideMentionTests(RoomWideMentionTests.RoomWideApp app) : IClassFixture<RoomWideMentionTests.RoomWideApp>
{
    /// <summary>The app with the question asked above two people (the default is twenty).</summary>
    public sealed class RoomWideApp : ChatterApp
    {
        public const int ConfirmAbove = 2;

        protected override IEnumerable<KeyValuePair<string, string>> Settings() => [new("Chatter:Mentions:ConfirmAbove", ConfirmAbove.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static async Task<long> RoomIdAsync(Person p) =>
        long.Parse((await p.Page.Locator("main.room").GetAttributeAsync("data-room-id"))!);

    private static async Task<string> BackgroundAsync(ILocator message) =>
        await message.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    [Fact]
    public async Task Here_reaches_the_member_with_the_room_open_and_not_the_one_away()
    {
        await using var ada = await app.SignUpAsync("Ada Here E2E");
        await using var bea = await app.SignUpAsync("Bea Open E2E");
        await using var cyd = await app.SignUpAsync("Cyd Away E2E");
        var slug = await ada.CreateRoomAsync("Here room");
        var roomId = await RoomIdAsync(ada);
        await cyd.OpenRoomAsync(slug); // a member, then away: another room open, nothing posted here
        await Expect(ada.Presence.Locator("li", new() { HasText = cyd.DisplayName })).ToBeVisibleAsync();
        await cyd.OpenRoomAsync("general");
        await Expect(ada.Presence.Locator("li", new() { HasText = cyd.DisplayName })).ToHaveCountAsync(0);
        await bea.OpenRoomAsync(slug);

        // the @ suggestions: @here notifies Bea alone (Cyd is away)
        await ada.Composer.PressSequentiallyAsync("@he");
        await Expect(ada.Page.Locator("#mention-list [role=option][data-name=here]")).ToContainTextAsync("notifies 1 person");
        await ada.Composer.PressAsync("Enter"); // picks it
        await Expect(ada.Composer).ToHaveValueAsync("@here ");
        await ada.Composer.PressSequentiallyAsync("standup now");
        await ada.Composer.PressAsync("Enter");
        await Expect(ada.Composer).ToHaveValueAsync(""); // sent without a question: one person is not many

        var onBea = bea.Messages.Filter(new() { HasText = "standup now" });
        await Expect(onBea).ToHaveAttributeAsync("data-room-mention", "here");
        await Expect(onBea.Locator(".body .mention")).ToHaveTextAsync("@here"); // the word itself drawn like a mention
        var onAda = ada.Messages.Filter(new() { HasText = "standup now" });
        await Expect(onAda).ToBeVisibleAsync();
        Assert.NotEqual(await BackgroundAsync(onAda), await BackgroundAsync(onBea)); // highlighted for Bea, not for its author
        Assert.Equal(await onAda.GetAttributeAsync("data-mentions"), await onBea.GetAttributeAsync("data-mentions")); // the same markup: who, not "you"

        // Cyd's badge counts the message (the same frame would carry the mention), and is not a mention
        var cydBadge = cyd.Page.Locator($"#unread-{roomId}");
        await Expect(cydBadge).ToHaveAttributeAsync("data-count", "1");
        await Expect(cydBadge).Not.ToHaveClassAsync(new Regex(@"\bmentioned\b"));
        await Expect(cydBadge).ToHaveAttributeAsync("data-mentions", "0");
    }

    [Fact]
    public async Task Room_reaching_more_people_than_the_threshold_asks_first_and_the_confirmed_send_goes_once()
    {
        await using var ada = await app.SignUpAsync("Ada Ask E2E");
        await using var bea = await app.SignUpAsync("Bea Ask E2E");
        await using var cyd = await app.SignUpAsync("Cyd Ask E2E");
        await using var dan = await app.SignUpAsync("Dan Ask E2E");
        var slug = await ada.CreateRoomAsync("Ask room");
        await dan.OpenRoomAsync(slug);
        await cyd.OpenRoomAsync(slug);
        await bea.OpenRoomAsync(slug);

        await ada.Composer.FillAsync("@room the release is out");
        await ada.Composer.PressAsync("Enter");
        var status = ada.Page.Locator("#composer-status");
        await Expect(status).ToContainTextAsync("@room will notify 3 people. Send it?");
        var send = status.GetByRole(AriaRole.Button, new() { Name = "Send to 3 people" });
        await Expect(send).ToBeFocusedAsync();
        await Expect(ada.Composer).ToHaveValueAsync("@room the release is out"); // nothing lost
        Assert.Equal(0, await ada.Messages.CountAsync()); // the question answered the send: it was not stored

        AxeResult axe = await ada.Page.RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe with the question shown:\n" + string.Join("\n", axe.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));

        // Cancel gives the composer back; sending again asks again; Enter on the focused button sends
        await status.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(send).ToHaveCountAsync(0);
        await Expect(ada.Composer).ToBeFocusedAsync();
        await ada.Composer.PressAsync("Enter");
        await Expect(send).ToBeFocusedAsync();
        await ada.Page.Keyboard.PressAsync("Enter");
        await Expect(ada.Composer).ToHaveValueAsync("");
        await Expect(bea.Bodies.Last).ToHaveTextAsync("@room the release is out");
        await Expect(bea.Messages.Last).ToHaveAttributeAsync("data-room-mention", "room");
        await Expect(ada.Page.Locator("#composer-status .confirm-send")).ToHaveCountAsync(0);

        // a later message is the barrier: had the confirmed send gone twice, both would be before it
        await ada.SendAsync("and the notes");
        await Expect(bea.Bodies).ToHaveTextAsync(["@room the release is out", "and the notes"]);
    }

    [Fact]
    public async Task Without_JavaScript_the_question_is_a_page_whose_button_sends_it()
    {
        await using var ada = await app.SignUpAsync("Ada Plain Ask E2E");
        await using var bea = await app.SignUpAsync("Bea Plain Ask E2E");
        await using var cyd = await app.SignUpAsync("Cyd Plain Ask E2E");
        await using var dan = await app.SignUpAsync("Dan Plain Ask E2E");
        var slug = await ada.CreateRoomAsync("Plain ask room");
        await dan.OpenRoomAsync(slug);
        await cyd.OpenRoomAsync(slug);
        await bea.OpenRoomAsync(slug);

        var context = await app.WithoutJavaScriptAsync(ada);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/rooms/{slug}");
        await page.Locator("#body").FillAsync("@everyone fire drill at three");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Locator("#composer-status")).ToHaveTextAsync("@room will notify 3 people. Send it?");
        await Expect(page.Locator("blockquote")).ToHaveTextAsync("@everyone fire drill at three");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send to 3 people" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/rooms/{slug}#m-1$"));
        await Expect(bea.Bodies).ToHaveTextAsync(["@everyone fire drill at three"]);
        await Expect(bea.Messages.Last).ToHaveAttributeAsync("data-room-mention", "room");
        await context.CloseAsync();

        // axe needs script in the page: the same page, reached by the composer's plain form post
        // (submit() skips the socket's handler) in Ada's own browser
        await ada.Composer.FillAsync("@room one more drill");
        await ada.Page.Locator("#composer").EvaluateAsync("f => HTMLFormElement.prototype.submit.call(f)");
        await Expect(ada.Page.Locator("#composer-status")).ToHaveTextAsync("@room will notify 3 people. Send it?");
        AxeResult axe = await ada.Page.RunAxe();
        Assert.True(axe.Violations.Length == 0, "axe on the question page:\n" + string.Join("\n", axe.Violations.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}

using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>"Load older" walks back through a long room, every message once, in order.</summary>
public sealed class HistoryTests(ChatterApp app) : IClassFixture<ChatterApp>
{
    private const int Count = 130;

    [Fact]
    public async Task Load_older_walks_back_through_every_message_in_order()
    {
        await using var ada = await app.SignUpAsync("Ada Lovelace");
        var slug = await ada.CreateRoomAsync("Long room");
        await ada.PostViaFormAsync(slug, Enumerable.Range(1, Count).Select(Body));

        await ada.Page.ReloadAsync();
        await ada.WaitUntilConnectedAsync();
        // The newest page: the last 50, and a way back.
        await Expect(ada.Messages).ToHaveCountAsync(50);
        Assert.Equal(Enumerable.Range(Count - 49, 50).Select(i => (long)i), await ada.SeqsAsync());
        var older = ada.Page.Locator("#older");
        var loads = 0;

        while (!await ada.Page.Locator("#older.start").IsVisibleAsync())
        {
            Assert.True(loads < 10, "\"Load older\" never reached the beginning of the room.");
            await ada.LoadOlderAsync();
            loads++;
        }

        await Expect(older).ToHaveTextAsync("This is the beginning of the room.");
        await Expect(ada.Page.Locator("#older")).ToHaveCountAsync(1);
        await Expect(ada.Messages).ToHaveCountAsync(Count);
        var seqs = await ada.SeqsAsync();
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), seqs); // each once, ascending
        await Expect(ada.Bodies).ToHaveTextAsync(Enumerable.Range(1, Count).Select(Body).ToArray());
        // The beginning marker sits above the first message.
        Assert.True(await ada.Page.EvaluateAsync<bool>(
            "() => { const o = document.getElementById('older'); return o.nextElementSibling && o.nextElementSibling.id === 'm-1'; }"));
    }

    private static string Body(int i) => $"history message {i:D3}";
}

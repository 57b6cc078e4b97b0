using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// Restarts: the server is stopped (SIGTERM, as a rolling restart does, or SIGKILL, as a
/// crash does) and started again on the same port and database while two browsers chat. A message
/// is sent while the server is down (htmx-ext-ws queues it and resends it on reconnect). Afterwards
/// both pages show every message exactly once, in seq order, without ever reloading, and the
/// "Reconnecting…" state showed while the server was down and cleared once it was back.
/// </summary>
public sealed class RestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveTextOptions Slow = new() { Timeout = 20_000 };

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "chatter-e2e-restart-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = LoopbackPort.Free();
    private readonly Dictionary<string, string?> _settings = new()
    {
        // A short drain still exercises "503 to new upgrades while draining" without slowing the test.
        ["Chatter__Realtime__DrainDelay"] = "00:00:00.5",
    };
    private AppProcess? _server;
    private IBrowser? _browser;

    /// <summary>The same port and database every time: a restart, not a new server.</summary>
    private AppProcessOptions Server => new() { Port = _port, DataDirectory = _dataDir, Settings = _settings };

    public async Task InitializeAsync()
    {
        ChatterApp.RequireChromium();
        Directory.CreateDirectory(_dataDir);
        _server = await AppProcess.StartAsync(Server);
        _browser = await ChatterApp.LaunchChromiumAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        if (_server is not null)
            await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // a temp dir left behind is harmless
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"not within 20 s: {what}");
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task Two_people_chatting_through_a_server_restart_see_every_message_once_in_order(string signal)
    {
        var clock = Stopwatch.StartNew();
        void Phase(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {what}");
        var baseUrl = _server!.BaseUrl;
        await using var ada = await Person.SignUpAsync(_browser!, baseUrl, "Ada");
        await using var grace = await Person.SignUpAsync(_browser!, baseUrl, "Grace");
        // What the waits below watch: the room sockets each page opens (a page opens the next one only
        // after the last one closed or failed) and the frames Ada's room sockets send.
        const string inFlight = "Sent just as the server went down";
        var roomSocketsOpened = new ConcurrentDictionary<Person, int>();
        var inFlightSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var person in new[] { ada, grace })
        {
            person.Page.WebSocket += (_, socket) =>
            {
                if (!socket.Url.Contains("/rooms/", StringComparison.Ordinal))
                    return;
                roomSocketsOpened.AddOrUpdate(person, 1, (_, n) => n + 1);
                if (person == ada)
                    socket.FrameSent += (_, frame) => { if (frame.Text?.Contains(inFlight) == true) inFlightSent.TrySetResult(); };
            };
        }
        var slug = await ada.CreateRoomAsync("Restarts");
        await grace.OpenRoomAsync(slug);
        await Expect(ada.Presence).ToContainTextAsync("Grace");
        var people = new[] { ada, grace };
        foreach (var person in people)
        {
            // htmx-ext-ws waits up to 64 s (full jitter) between reconnects; a fixed short delay keeps the
            // test fast. It is read at every reconnect, so setting it after load is enough. A mark on the
            // window survives only if the page is never reloaded.
            await person.Page.EvaluateAsync("() => { htmx.config.wsReconnectDelay = () => 200; window.__sameDocument = true; }");
        }

        Phase("signed up, both in the room");
        // Before: a conversation, each message acknowledged and seen by both.
        string[] before = ["Deploying the new build now", "OK, I'll watch the dashboards", "Restarting the server…", "Go ahead"];
        for (var i = 0; i < before.Length; i++)
        {
            var (sender, receiver) = i % 2 == 0 ? (ada, grace) : (grace, ada);
            await sender.SendAsync(before[i]);
            await Expect(receiver.Bodies).ToHaveTextAsync(before[..(i + 1)]);
        }

        // A message in flight as the server goes: the server is frozen (SIGSTOP), Ada sends (the frame
        // reaches the server's socket buffer unread), then the process is killed, or told to stop and
        // thawed so that shutdown and the frame race. Either way no ack reaches the page, or the ack
        // is lost with the socket: the page sends the same frame again on the next socket, and the
        // server stores it once.
        _server.Signal("STOP");
        await ada.Composer.FillAsync(inFlight);
        await ada.Composer.PressAsync("Enter");
        await inFlightSent.Task.WaitAsync(TimeSpan.FromSeconds(15)); // on its way to the frozen server
        // (Usually the composer still holds it here; on a loaded machine the frame can be read and
        // acknowledged before the stop lands. Either way the final checks below must hold.)
        string[] duringOutage = [inFlight];

        // Down: the server goes away mid-conversation; both pages say so.
        Phase("chatted, one message in flight; stopping the server");
        if (signal == "KILL")
        {
            await _server.StopAsync("KILL", TimeSpan.FromSeconds(20));
        }
        else
        {
            _server.Signal("TERM");
            await _server.StopAsync("CONT", TimeSpan.FromSeconds(20));
        }
        Phase($"server gone after SIG{signal} (exit code {_server.ExitCode}); its log:\n{_server.Output}");
        foreach (var person in people)
            await Expect(person.Page.Locator("#conn-state")).ToHaveTextAsync("Reconnecting…", Slow);

        // Both type while it is down: htmx-ext-ws queues each frame (with its clientMessageId already in it).
        const string adaWhileDown = "Is it back yet? (typed while the server was down)";
        const string graceWhileDown = "Still down here (typed while the server was down)";
        foreach (var (person, text) in new[] { (ada, adaWhileDown), (grace, graceWhileDown) })
        {
            await person.Composer.FillAsync(text);
            await person.Composer.PressAsync("Enter");
        }
        // Let several reconnect attempts fail: the queued frames must survive them. Three more sockets
        // opened by each page, each after the one before failed.
        var openedWithFramesQueued = people.ToDictionary(p => p, p => roomSocketsOpened.GetValueOrDefault(p));
        foreach (var person in people)
            await UntilAsync(() => roomSocketsOpened.GetValueOrDefault(person) >= openedWithFramesQueued[person] + 3, $"{person.DisplayName}'s page retrying");
        duringOutage = [.. duringOutage, adaWhileDown, graceWhileDown];
        foreach (var (person, text) in new[] { (ada, adaWhileDown), (grace, graceWhileDown) })
        {
            await Expect(person.Composer).ToHaveValueAsync(text); // not acknowledged, so not cleared
            await Expect(person.Bodies.Filter(new() { HasText = text })).ToHaveCountAsync(0);
            await Expect(person.Page.Locator("#conn-state")).ToHaveTextAsync("Reconnecting…");
        }

        // Up again: same port, same database file.
        Phase("sent while down; starting the server again");
        await _server.DisposeAsync();
        _server = await AppProcess.StartAsync(Server);
        Phase("server answering /healthz");
        foreach (var person in people)
        {
            await Expect(person.Page.Locator("#conn-state")).ToHaveTextAsync("", Slow);
            // The queued frame went out on open, was stored once and acknowledged: the composer clears.
            await Expect(person.Composer).ToHaveValueAsync("", new() { Timeout = 20_000 });
        }
        foreach (var person in people)
        {
            await Expect(person.Bodies).ToHaveCountAsync(before.Length + duringOutage.Length, new() { Timeout = 20_000 });
            foreach (var text in duringOutage)
                await Expect(person.Bodies.Filter(new() { HasText = text })).ToHaveCountAsync(1);
        }

        Phase("both reconnected, outage messages shown once");
        // After: the conversation carries on over the new sockets.
        string[] after = ["Back, and nothing lost", "Confirmed, all here"];
        for (var i = 0; i < after.Length; i++)
        {
            var (sender, receiver) = i % 2 == 0 ? (ada, grace) : (grace, ada);
            await sender.SendAsync(after[i]);
            await Expect(receiver.Bodies.Filter(new() { HasText = after[i] })).ToHaveCountAsync(1);
        }

        // Every message once, in seq order, the same on both pages. Those sent during the outage raced
        // each other to the server, so their relative order is whatever the server gave them.
        var total = before.Length + duringOutage.Length + after.Length;
        var expectedSeqs = Enumerable.Range(1, total).Select(i => (long)i).ToArray();
        var adaBodies = await ada.Bodies.AllTextContentsAsync();
        foreach (var person in people)
        {
            var bodies = await person.Bodies.AllTextContentsAsync();
            Assert.Equal(before, bodies.Take(before.Length));
            Assert.Equal(duringOutage.Order(), bodies.Skip(before.Length).Take(duringOutage.Length).Order());
            Assert.Equal(after, bodies.Skip(before.Length + duringOutage.Length));
            Assert.Equal(adaBodies, bodies);
            Assert.Equal(expectedSeqs, await person.SeqsAsync());
            Assert.True(await person.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page reloaded.");
            await Expect(person.Page.Locator("#conn-state")).ToHaveTextAsync("");
            await Expect(person.Page.Locator("#composer-status")).ToHaveTextAsync(""); // no error was shown
            Assert.DoesNotContain(person.ConsoleMessages, m => m.StartsWith("pageerror:", StringComparison.Ordinal));
            Assert.Empty(person.Dialogs);
        }

        // The database agrees: a fresh load of the room shows the same messages, each stored once.
        await grace.Page.ReloadAsync();
        await Expect(grace.Bodies).ToHaveTextAsync(adaBodies.ToArray());
        Assert.Equal(expectedSeqs, await grace.SeqsAsync());
        Phase("done");
    }
}

using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChatterWeb.E2E;

/// <summary>
/// Two browsers on two instances (one SQLite file, a real redis-server between them): what the
/// balancer of compose.yaml does when it sends two people to different replicas.
/// </summary>
public sealed class TwoInstanceTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("chatter-e2e-two").FullName;
    private readonly RedisServer _redis = new();
    private AppProcess? _a;
    private AppProcess? _b;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        ChatterApp.RequireChromium();
        await _redis.StartAsync();
        var options = new AppProcessOptions { DataDirectory = _dataDir, Settings = new Dictionary<string, string?> { ["ConnectionStrings__Redis"] = _redis.ConnectionString } };
        _a = await AppProcess.StartAsync(options);
        _b = await AppProcess.StartAsync(options);
        _browser = await ChatterApp.LaunchChromiumAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        if (_a is not null)
            await _a.DisposeAsync();
        if (_b is not null)
            await _b.DisposeAsync();
        await _redis.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Two_people_on_two_instances_chat_live_and_see_each_other_present()
    {
        await using var ada = await Person.SignUpAsync(_browser!, _a!.BaseUrl, "Ada on A");
        await using var grace = await Person.SignUpAsync(_browser!, _b!.BaseUrl, "Grace on B");
        var slug = await ada.CreateRoomAsync("Across instances");
        await grace.OpenRoomAsync(slug);

        // presence is cluster-wide: each list names both, though each socket is on a different instance
        await Expect(ada.Presence).ToContainTextAsync("Grace on B");
        await Expect(grace.Presence).ToContainTextAsync("Ada on A");

        string[] conversation = ["Hello from instance A", "Hi! I'm on instance B", "Redis carried that", "And the database keeps it"];
        for (var i = 0; i < conversation.Length; i++)
        {
            var (speaker, listener) = i % 2 == 0 ? (ada, grace) : (grace, ada);
            await speaker.SendAsync(conversation[i]);
            await Expect(listener.Bodies.Filter(new() { HasText = conversation[i] })).ToHaveCountAsync(1);
        }
        foreach (var person in new[] { ada, grace })
        {
            await Expect(person.Bodies).ToHaveTextAsync(conversation);
            var seqs = await person.SeqsAsync();
            Assert.Equal(new long[] { 1, 2, 3, 4 }, seqs);
        }
    }
}

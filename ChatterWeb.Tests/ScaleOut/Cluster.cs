using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>
/// Two real ChatterWeb processes (A and B) on one PostgreSQL database (a fresh one of the test run's
/// cluster) and one real redis-server, as a deployment is shaped and a balancer sees them; their
/// uploaded files in one shared folder. One per test class; the classes that break things get their own.
/// </summary>
public class Cluster : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("chatter-scaleout");
    private PostgresServer? _postgres;

    public RedisServer Redis { get; } = new();
    public AppProcess A { get; private set; } = null!;
    public AppProcess B { get; private set; } = null!;

    /// <summary>The instances' database on the shared cluster.</summary>
    public string DatabaseName { get; private set; } = "";

    public string DatabaseConnectionString => _postgres!.ConnectionString(DatabaseName);

    /// <summary>Extra settings for both instances (environment variable names).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.Shared;
        DatabaseName = await _postgres.CreateDatabaseAsync("scaleout");
        await Redis.StartAsync();
        var options = new AppProcessOptions
        {
            DataDirectory = _dir.FullName,
            Settings = new Dictionary<string, string?>(Settings())
            {
                ["Chatter__Database__Provider"] = "PostgreSQL",
                ["ConnectionStrings__Chatter"] = DatabaseConnectionString,
                ["ConnectionStrings__Redis"] = Redis.ConnectionString,
                ["Chatter__Realtime__DrainDelay"] = "00:00:00",
            },
        };
        A = await AppProcess.StartAsync(options); // A migrates the empty database first
        B = await AppProcess.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, app) in new[] { ("A", A), ("B", B) })
        {
            try { File.WriteAllText(Path.Combine(Path.GetTempPath(), $"chatter-scaleout-{GetType().Name}-{name}.log"), app.Output); } catch (Exception) { }
            await app.DisposeAsync(); // again if a test killed it already
        }
        await Redis.DisposeAsync();
        if (_postgres is not null && DatabaseName.Length > 0)
            await _postgres.DropDatabaseAsync(DatabaseName);
        try { _dir.Delete(recursive: true); } catch (IOException) { }
    }

    /// <summary>Creates an open room through the real form; returns its slug.</summary>
    public static async Task<string> CreateRoomAsync(Browser who, string name)
    {
        var response = await ChatterServer.PostFormAsync(who.Http, "/rooms", new() { ["Name"] = $"{name} {Guid.NewGuid().ToString("N")[..6]}" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString.Split('/').Last();
    }

    /// <summary>Sends a message and waits for its acknowledgement (it is stored).</summary>
    public static async Task SendAckedAsync(TestSocket socket, string body)
    {
        var id = Guid.NewGuid().ToString();
        await socket.SendMessageAsync(body, id);
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{id}\""));
    }

    /// <summary>Waits until the socket has received (at any time) a message with this text.</summary>
    public static Task SawAsync(TestSocket socket, string text) =>
        EventuallyAsync(() => Task.FromResult(socket.Seen.Any(f => f.Contains("<article") && f.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text)))),
            $"a message \"{text}\" (seqs seen: {string.Join(",", Seqs(socket))})", TimeSpan.FromSeconds(10));

    /// <summary>Every message seq in every frame the socket got, in arrival order.</summary>
    public static List<long> Seqs(TestSocket socket) =>
        [.. socket.Seen.SelectMany(f => Regex.Matches(f, "<article class=\"msg[^\"]*\" id=\"m-[^\"]*\" data-seq=\"(\\d+)\"").Select(m => long.Parse(m.Groups[1].Value)))];

    public static async Task<HttpStatusCode> ReadyzAsync(AppProcess app)
    {
        using var http = new HttpClient { BaseAddress = app.BaseUri, Timeout = TimeSpan.FromSeconds(5) };
        return (await http.GetAsync("/readyz")).StatusCode;
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not within {(within ?? TimeSpan.FromSeconds(15)).TotalSeconds}s: {what}");
            await Task.Delay(100);
        }
    }
}

/// <summary>For the classes that kill an instance or Redis: a cluster of their own.</summary>
public sealed class DisposableCluster : Cluster;

/// <summary>
/// The scale-out classes start real processes (two apps and a redis-server each): they run on their
/// own, after the parallel tests, so they neither starve nor are starved by timing-sensitive tests
/// on a small machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScaleOutCollection
{
    public const string Name = "scale-out";
}

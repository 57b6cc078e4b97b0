using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatterWeb.Tests.Bots;

/// <summary>One request a <see cref="Receiver"/> got: its headers and the exact bytes of its body.</summary>
public sealed record ReceivedCall(Dictionary<string, string> Headers, byte[] Body, string Path)
{
    public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : "";
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A bot's end of an outgoing webhook: a real Kestrel server on a loopback port of its own. Every
/// request is recorded as it arrives (before it is answered), then answered by <see cref="Answer"/>,
/// which a test may change between calls (answer, hang, fail, redirect).
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedCall> _calls = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private Receiver(WebApplication app, Func<ReceivedCall, HttpContext, Task> answer)
    {
        _app = app;
        Answer = answer;
    }

    public Func<ReceivedCall, HttpContext, Task> Answer { get; set; }

    /// <summary><c>http://127.0.0.1:{port}</c>.</summary>
    public Uri BaseUri { get; private set; } = null!;
    public int Port => BaseUri.Port;
    public int Count => _calls.Count;
    public IReadOnlyList<ReceivedCall> Calls => [.. _calls];

    public static async Task<Receiver> StartAsync(Func<ReceivedCall, HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app, answer);
        app.Run(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted);
            var call = new ReceivedCall(http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray(), http.Request.Path);
            receiver._calls.Enqueue(call);
            receiver._arrived.Release();
            await receiver.Answer(call, http);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUri = new Uri(address);
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"the receiver got {Count} calls, not {count}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Answers <c>{"text": text}</c> with 200.</summary>
    public static Task Reply(HttpContext http, string text) =>
        http.Response.WriteAsJsonAsync(new { text });

    /// <summary>Never answers: holds the request until the caller gives up.</summary>
    public static async Task Hang(HttpContext http)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

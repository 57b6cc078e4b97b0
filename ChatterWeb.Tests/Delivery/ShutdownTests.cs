using System.Diagnostics;
using System.Net;
using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>A rolling restart, as a container runtime does it: SIGTERM to the real process.</summary>
public class ShutdownTests
{
    [Fact]
    public async Task On_SIGTERM_sockets_get_1012_at_once_readiness_fails_upgrades_are_refused_and_the_process_exits_cleanly()
    {
        await using var app = await AppProcess.StartAsync(new() { Settings = new Dictionary<string, string?> { ["Chatter__Realtime__DrainDelay"] = "00:00:04" } });
        var alice = await Browser.SignUpAsync(app.BaseUri, "Alice");
        await using var socket = await alice.JoinAsync("general");
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        var clock = Stopwatch.StartNew();
        app.Signal("TERM");

        Assert.Equal(CloseCodes.ServiceRestart, await socket.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        // at once: well inside the drain delay (the checks below need the rest of it, while the port still listens)
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"1012 took {clock.Elapsed.TotalMilliseconds:F0} ms");

        // while draining: not ready, and no new sockets here
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        var refused = await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectAsync(app.BaseUri, "general", alice.Cookies));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);

        await app.WaitForExitAsync(TimeSpan.FromSeconds(10)); // the host's shutdown timeout is 10 s
        Assert.Equal(0, app.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"exit took {clock.Elapsed.TotalSeconds:F1} s\n{app.Output}"); // the drain delay and a clean stop, not the 10 s timeout
    }
}

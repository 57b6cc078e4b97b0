using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>
/// An administrator on A deactivates someone whose pages are open on B (and on A): every socket of
/// theirs closes on both instances within seconds, their cookie opens nothing on either, and
/// everybody else's sockets stay open.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public class DeactivationTests(Cluster cluster) : IClassFixture<Cluster>
{
    [Fact]
    public async Task Deactivating_on_A_closes_the_persons_sockets_on_B_and_A_and_their_cookie_opens_nothing_on_either()
    {
        var admin = await Browser.SignUpAsync(cluster.A.BaseUri, "Admin First"); // the first account of the database
        var eve = await Browser.SignUpAsync(cluster.A.BaseUri, "Eve Offboarded");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob Stays");
        var room = await Cluster.CreateRoomAsync(bob, "Offboarding");
        await using var eveOnB = await eve.JoinAsync(room, cluster.B.BaseUri);
        await using var eveOnA = await eve.JoinAsync("general", cluster.A.BaseUri);
        await using var bobOnB = await bob.JoinAsync(room, cluster.B.BaseUri);
        await Cluster.SendAckedAsync(eveOnB, "posted before leaving");

        var people = await admin.Http.GetStringAsync("/admin/people?q=" + Uri.EscapeDataString(eve.Email));
        var eveId = Regex.Match(people, "<tr data-user-id=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(eveId);
        var started = DateTime.UtcNow;
        var done = await ChatterServer.PostFormAsync(admin.Http, "/admin/people?handler=Deactivate", new() { ["userId"] = eveId }, "/admin/people");
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);

        Assert.Equal(CloseCodes.Policy, await eveOnB.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(CloseCodes.Policy, await eveOnA.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"closed after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        Assert.Equal(WebSocketState.Open, bobOnB.State);
        await Cluster.SendAckedAsync(bobOnB, "still here"); // Bob's socket on B works

        foreach (var instance in new[] { cluster.A.BaseUri, cluster.B.BaseUri })
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = eve.Cookies, AllowAutoRedirect = false }) { BaseAddress = instance };
            var page = await http.GetAsync($"/rooms/{room}");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            await Assert.ThrowsAsync<UpgradeRefusedException>(() => TestSocket.ConnectAsync(instance, room, eve.Cookies));
        }
        // her message stays, with her name, on B's page
        var roomPage = await bob.Http.GetStringAsync($"/rooms/{room}");
        Assert.Contains("posted before leaving", roomPage);
        Assert.Contains("Eve Offboarded", roomPage);
    }
}

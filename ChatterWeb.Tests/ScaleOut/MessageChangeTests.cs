using System.Net;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.ScaleOut;

/// <summary>Edits, deletes and pins cross instances through the room bus (it carries the finished article).</summary>
[Collection(ScaleOutCollection.Name)]
public class MessageChangeTests(Cluster cluster) : IClassFixture<Cluster>
{
    private static async Task<HttpResponseMessage> ChangeAsync(Browser who, string path, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(await who.Http.GetStringAsync("/rooms"));
        return await who.Http.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task An_edit_and_a_delete_on_A_replace_the_message_on_a_socket_on_B()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob");
        var room = await Cluster.CreateRoomAsync(alice, "Changes");
        await using var onA = await alice.JoinAsync(room);
        await using var onB = await bob.JoinAsync(room);
        await Cluster.SendAckedAsync(onA, "draft one");
        await Cluster.SendAckedAsync(onA, "draft two");
        await Cluster.SawAsync(onB, "draft two");

        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(alice, MessageActions.EditPath(room, 1), new() { ["body"] = "final _one_" })).StatusCode);
        var edited = await onB.WaitForAsync(f => f.Contains("id=\"m-1\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
        Assert.Contains("final <em>one</em>", edited);
        Assert.Contains("(edited)", edited);

        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(alice, MessageActions.DeletePath(room, 2), [])).StatusCode);
        var deleted = await onB.WaitForAsync(f => f.Contains("id=\"m-2\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
        Assert.Contains("This message was deleted.", deleted);
        Assert.DoesNotContain("draft two", deleted);

        // a page on B that missed both (its socket was away) gets them on resume, from the shared database
        await using var late = await bob.JoinAsync(room);
        await late.SendJsonAsync(new { type = "resume", afterSeq = 2, afterChange = 0 });
        await late.WaitForAsync(f => f.Contains("id=\"change-mark\""));
        var replay = late.Seen.Where(f => f.Contains("hx-swap-oob=\"outerHTML\"")).ToList();
        Assert.Contains(replay, f => f.Contains("id=\"m-1\"") && f.Contains("final <em>one</em>"));
        Assert.Contains(replay, f => f.Contains("id=\"m-2\"") && f.Contains("This message was deleted."));
    }

    [Fact]
    public async Task A_pin_on_A_reaches_a_socket_on_B_with_the_rooms_pin_count()
    {
        var alice = await Browser.SignUpAsync(cluster.A.BaseUri, "Alice Pins");
        var bob = await Browser.SignUpAsync(cluster.B.BaseUri, "Bob Pins");
        var room = await Cluster.CreateRoomAsync(alice, "Pins across");
        await using var onA = await alice.JoinAsync(room);
        await using var onB = await bob.JoinAsync(room);
        await Cluster.SendAckedAsync(onA, "pin me across");
        await Cluster.SawAsync(onB, "pin me across");

        Assert.Equal(HttpStatusCode.Redirect, (await ChangeAsync(alice, MessageActions.PinPath(room, 1), new() { ["pinned"] = "true" })).StatusCode);
        var pinned = await onB.WaitForAsync(f => f.Contains("id=\"m-1\"") && f.Contains("hx-swap-oob=\"outerHTML\""));
        Assert.Contains("class=\"pinned-marker\"", pinned);
        Assert.Contains("Pinned (1)</a>", await onB.WaitForAsync(f => f.StartsWith("<a id=\"pin-count\"", StringComparison.Ordinal)));
    }
}

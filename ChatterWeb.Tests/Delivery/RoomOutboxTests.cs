using System.Net.WebSockets;
using System.Text;
using ChatterWeb.Delivery;

namespace ChatterWeb.Tests.Delivery;

/// <summary>
/// The room pump's batches (<see cref="RoomOutbox.TakeBatch"/>): room-wide frames that waited are joined
/// into one buffer; frames for one socket among them (acknowledgements) go right after the joined
/// frame, so they still follow their message; they never move behind room state (presence).
/// </summary>
public class RoomOutboxTests
{
    private static SocketConnection Socket(string user) =>
        new(WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true }), 1, user, user, new RealtimeOptions());

    private static Outgoing Message(string html) => new(Encoding.UTF8.GetBytes(html), Message: true);
    private static Outgoing State(string html) => new(Encoding.UTF8.GetBytes(html));
    private static Outgoing For(SocketConnection socket, string html) => new(Encoding.UTF8.GetBytes(html), socket);
    private static string Text(Outgoing item) => Encoding.UTF8.GetString(item.Html.Span);

    [Fact]
    public void Waiting_messages_are_joined_across_acknowledgements_which_follow_the_joined_frame()
    {
        var (ann, bob) = (Socket("ann"), Socket("bob"));
        var outbox = new List<Outgoing> { Message("<m1/>"), For(ann, "<ack1/>"), Message("<m2/>"), For(bob, "<ack2/>"), State("<presence/>"), Message("<m3/>") };
        List<Outgoing>? after = null;

        var first = RoomOutbox.TakeBatch(outbox, ref after);
        Assert.Null(first.Only);
        Assert.Equal("<m1/><m2/>", Text(first));
        Assert.Equal(["<ack1/>"], after!.Select(Text)); // sent right after <m1/><m2/>, to ann only
        Assert.Same(ann, after![0].Only);
        after.Clear();

        // ack2 was last in front of the presence frame: it would gain nothing by moving, so it stays first.
        var second = RoomOutbox.TakeBatch(outbox, ref after);
        Assert.Same(bob, second.Only);
        Assert.Equal("<ack2/>", Text(second));

        var third = RoomOutbox.TakeBatch(outbox, ref after);
        Assert.Equal("<presence/><m3/>", Text(third));
        Assert.Empty(after!);
        Assert.Empty(outbox);
    }

    [Fact]
    public void A_frame_for_one_socket_never_moves_behind_room_state()
    {
        var ann = Socket("ann");
        var outbox = new List<Outgoing> { Message("<m1/>"), For(ann, "<presence-list-for-ann/>"), State("<presence-update/>"), Message("<m2/>") };
        List<Outgoing>? after = null;

        Assert.Equal("<m1/>", Text(RoomOutbox.TakeBatch(outbox, ref after)));
        Assert.Equal("<presence-list-for-ann/>", Text(RoomOutbox.TakeBatch(outbox, ref after)));
        Assert.Equal("<presence-update/><m2/>", Text(RoomOutbox.TakeBatch(outbox, ref after)));
        Assert.True(after is null or { Count: 0 });
    }

    [Fact]
    public void Joining_stops_at_the_coalescing_limit()
    {
        var big = new string('x', FrameJoiner.MaxBytes / 2 + 1);
        var outbox = new List<Outgoing> { Message(big), Message(big), Message("<small/>") };
        List<Outgoing>? after = null;

        Assert.Equal(big, Text(RoomOutbox.TakeBatch(outbox, ref after)));
        Assert.Equal(big + "<small/>", Text(RoomOutbox.TakeBatch(outbox, ref after)));
        Assert.Empty(outbox);
    }
}

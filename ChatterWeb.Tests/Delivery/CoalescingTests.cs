using System.Net.Sockets;
using System.Net.WebSockets;
using System.Net;
using System.Text;
using ChatterWeb.Delivery;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Delivery;

/// <summary>
/// A socket's writer sends what has queued up behind a send as ONE WebSocket message (fragments
/// back to back, each a top-level element htmx swaps on its own), never more than the coalescing
/// limit, and in queue order. Real TCP on loopback; the server side's writes can be held at a gate.
/// </summary>
public class CoalescingTests
{
    /// <summary>A stream whose writes wait while the gate is shut, and say when one starts waiting.</summary>
    private sealed class GateStream(Stream inner) : Stream
    {
        private volatile TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource WriteWaiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Open() => _open.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WriteWaiting.TrySetResult();
            await _open.Task.WaitAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static async Task<(GateStream Gate, WebSocket Server, WebSocket Client, IDisposable Sockets)> PairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var accepted = await listener.AcceptTcpClientAsync();
        var gate = new GateStream(accepted.GetStream());
        var server = WebSocket.CreateFromStream(gate, new WebSocketCreationOptions { IsServer = true });
        var peer = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        return (gate, server, peer, new Both(client, accepted));
    }

    private sealed class Both(TcpClient a, TcpClient b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }

    private static async Task<string> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[256 * 1024];
        var length = 0;
        using var timeout = new CancellationTokenSource(TestSocket.DefaultWait);
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static string Fragment(int seq, int padding = 0) =>
        $"<div id=\"messages\" hx-swap-oob=\"beforeend\"><article id=\"m-{seq}\" data-seq=\"{seq}\"><div class=\"body\">{new string('x', padding)}</div></article></div>";

    [Fact]
    public async Task Frames_queued_behind_a_send_leave_as_one_message_in_order()
    {
        var (gate, server, client, sockets) = await PairAsync();
        using var _ = sockets;
        var connection = new SocketConnection(server, roomId: 1, userId: "u", displayName: "U", new RealtimeOptions());
        var writer = connection.RunWriterAsync();

        Assert.True(connection.TryEnqueue(Encoding.UTF8.GetBytes(Fragment(1))));
        await gate.WriteWaiting.Task.WaitAsync(TestSocket.DefaultWait); // the writer is inside the first send
        for (var seq = 2; seq <= 5; seq++)
            Assert.True(connection.TryEnqueue(Encoding.UTF8.GetBytes(Fragment(seq))));
        gate.Open();

        Assert.Equal(Fragment(1), await ReceiveAsync(client));
        var second = await ReceiveAsync(client);
        Assert.Equal(string.Concat(Enumerable.Range(2, 4).Select(seq => Fragment(seq))), second);
        Assert.Equal(Enumerable.Range(2, 4).Select(seq => Fragment(seq)), Fragments.Split(second));

        connection.RequestClose(WebSocketCloseStatus.NormalClosure, "");
        await writer.WaitAsync(TestSocket.DefaultWait);
    }

    [Fact]
    public async Task A_coalesced_message_never_passes_the_limit()
    {
        var (gate, server, client, sockets) = await PairAsync();
        using var _ = sockets;
        var connection = new SocketConnection(server, roomId: 1, userId: "u", displayName: "U", new RealtimeOptions());
        var writer = connection.RunWriterAsync();
        var big = FrameJoiner.MaxBytes / 2 - 200; // with their markup, two fit in one message, three do not

        Assert.True(connection.TryEnqueue(Encoding.UTF8.GetBytes(Fragment(1))));
        await gate.WriteWaiting.Task.WaitAsync(TestSocket.DefaultWait);
        for (var seq = 2; seq <= 4; seq++)
            Assert.True(connection.TryEnqueue(Encoding.UTF8.GetBytes(Fragment(seq, big))));
        gate.Open();

        Assert.Equal(Fragment(1), await ReceiveAsync(client));
        var second = await ReceiveAsync(client);
        var third = await ReceiveAsync(client);
        Assert.True(second.Length <= FrameJoiner.MaxBytes);
        Assert.Equal([Fragment(2, big), Fragment(3, big)], Fragments.Split(second));
        Assert.Equal(Fragment(4, big), third);

        connection.RequestClose(WebSocketCloseStatus.NormalClosure, "");
        await writer.WaitAsync(TestSocket.DefaultWait);
    }
}

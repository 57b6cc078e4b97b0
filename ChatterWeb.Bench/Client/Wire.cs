using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace ChatterWeb.Bench.Client;

/// <summary>
/// What goes over the socket. Out: the JSON htmx-ext-ws 2.0.4 makes of the composer form (its fields
/// plus HEADERS). In: the HTML fragments ChatterWeb pushes, read without allocating: a message is
/// <c>&lt;article class="msg" id="m-{seq}" data-seq="{seq}" ...&gt;...&lt;div class="body"&gt;{body}&lt;/div&gt;</c>
/// inside <c>&lt;div id="messages" hx-swap-oob="beforeend"&gt;</c>.
/// </summary>
public static class Wire
{
    public enum FrameKind { Messages, Ack, Error, Presence, Other }

    /// <summary>
    /// A bench message body: when it was meant to be sent (Stopwatch ticks), a run-unique message number
    /// and the sending socket. Letters, digits and spaces only, so HTML encoding leaves it unchanged.
    /// </summary>
    public static string Body(long sentAt, long messageId, int sender) => $"bench t{sentAt} m{messageId} s{sender}";

    /// <summary>The composer form as htmx-ext-ws serialises it: fields at the top level, plus HEADERS.</summary>
    public static byte[] MessageFrame(string body, string currentUrl) => MessageFrame(body, currentUrl, Guid.NewGuid());

    public static byte[] MessageFrame(string body, string currentUrl, Guid clientMessageId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "message");
            json.WriteString("clientMessageId", clientMessageId.ToString());
            json.WriteString("body", body);
            json.WriteStartObject("HEADERS");
            json.WriteString("HX-Request", "true");
            json.WriteString("HX-Trigger", "composer");
            json.WriteNull("HX-Trigger-Name");
            json.WriteString("HX-Target", "composer");
            json.WriteString("HX-Current-URL", currentUrl);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static FrameKind Classify(ReadOnlySpan<byte> frame)
    {
        if (frame.StartsWith("<div id=\"messages\""u8))
            return FrameKind.Messages;
        if (frame.StartsWith("<div id=\"composer-status\""u8))
            return frame.IndexOf(" data-ack=\""u8) >= 0 ? FrameKind.Ack : FrameKind.Error;
        if (frame.StartsWith("<ul id=\"presence\""u8))
            return FrameKind.Presence;
        return FrameKind.Other;
    }

    /// <summary>The clientMessageId an acknowledgement fragment (<c>data-ack="..."</c>) confirms.</summary>
    public static bool TryParseAck(ReadOnlySpan<byte> frame, out Guid clientMessageId)
    {
        clientMessageId = default;
        var at = frame.IndexOf(" data-ack=\""u8);
        return at >= 0 && Utf8Parser.TryParse(frame[(at + 11)..], out clientMessageId, out _);
    }

    /// <summary>
    /// The next message in a messages frame: its seq and its (still HTML-encoded) body. Advances
    /// <paramref name="rest"/> past it. False when no message is left.
    /// </summary>
    public static bool NextMessage(ref ReadOnlySpan<byte> rest, out long seq, out ReadOnlySpan<byte> body)
    {
        seq = 0;
        body = default;
        var article = rest.IndexOf("<article "u8);
        if (article < 0)
            return false;
        rest = rest[article..];
        var seqAt = rest.IndexOf(" data-seq=\""u8);
        if (seqAt < 0 || !Utf8Parser.TryParse(rest[(seqAt + 11)..], out seq, out _))
            return false;
        var bodyAt = rest.IndexOf("<div class=\"body\">"u8);
        if (bodyAt < 0)
            return false;
        rest = rest[(bodyAt + 18)..];
        var end = rest.IndexOf("</div>"u8);
        if (end < 0)
            return false;
        body = rest[..end];
        rest = rest[end..];
        // A formatted body is wrapped in a paragraph (<p>text</p>): the bench's own bodies are one plain line.
        if (body.StartsWith("<p>"u8) && body.EndsWith("</p>"u8))
            body = body[3..^4];
        return true;
    }

    /// <summary>Reads <c>t{sentAt} m{messageId}</c> back out of a body made by <see cref="Body"/>.</summary>
    public static bool TryParseBody(ReadOnlySpan<byte> body, out long sentAt, out long messageId)
    {
        sentAt = messageId = 0;
        if (!body.StartsWith("bench t"u8))
            return false;
        body = body[7..];
        if (!Utf8Parser.TryParse(body, out sentAt, out var used) || body.Length < used + 2 || body[used] != (byte)' ' || body[used + 1] != (byte)'m')
            return false;
        return Utf8Parser.TryParse(body[(used + 2)..], out messageId, out _);
    }

    public static string Text(ReadOnlySpan<byte> utf8, int max = 200) =>
        Encoding.UTF8.GetString(utf8[..Math.Min(max, utf8.Length)]);
}

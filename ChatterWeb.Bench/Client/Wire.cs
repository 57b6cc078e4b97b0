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

    /// <summary>The page's "read to the bottom" report (read-marks.mjs sends it as plain JSON while the tab is visible at the bottom).</summary>
    public static byte[] ReadFrame(long upToSeq) => System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"read\",\"upToSeq\":{upToSeq}}}");

    /// <summary>The page's "I am typing" (typing.mjs sends it on input, at most once a second).</summary>
    public static byte[] TypingFrame() => "{\"type\":\"typing\"}"u8.ToArray();

    /// <summary>What the page sends on every open: the highest seq it shows and its change mark (live-room.mjs).</summary>
    public static byte[] ResumeFrame(long afterSeq, long afterChange) =>
        System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"resume\",\"afterSeq\":{afterSeq},\"afterChange\":{afterChange}}}");

    /// <summary>
    /// The change mark that ends the server's answer to <see cref="ResumeFrame"/>. The socket joined its
    /// room before that answer was made, so a message sent after the mark has arrived reaches the socket live.
    /// </summary>
    public static bool HasChangeMark(ReadOnlySpan<byte> frame) => frame.IndexOf("<div id=\"change-mark\""u8) >= 0;

    /// <summary>
    /// What one WebSocket message carries. The server may send several fragments in one message (it
    /// coalesces what is queued for a socket; htmx swaps every top-level element), so a message can
    /// hold messages, acknowledgements and errors at once.
    /// </summary>
    public readonly record struct Contents(bool Messages, int Acks, int Errors, bool Presence); // Presence: the whole people list or who arrived and left

    public static Contents Read(ReadOnlySpan<byte> frame)
    {
        var statuses = Count(frame, "<div id=\"composer-status\""u8);
        var acks = statuses == 0 ? 0 : Count(frame, " data-ack=\""u8);
        return new Contents(
            Messages: frame.IndexOf("<article "u8) >= 0,
            Acks: acks,
            Errors: statuses - acks,
            Presence: frame.IndexOf("<ul id=\"presence\""u8) >= 0 || frame.IndexOf("<ul data-presence=\"changes\""u8) >= 0);
    }

    private static int Count(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        var n = 0;
        for (var at = haystack.IndexOf(needle); at >= 0; at = haystack.IndexOf(needle))
        {
            n++;
            haystack = haystack[(at + needle.Length)..];
        }
        return n;
    }

    /// <summary>The clientMessageId of the next acknowledgement fragment (<c>data-ack="..."</c>); advances <paramref name="rest"/> past it.</summary>
    public static bool NextAck(ref ReadOnlySpan<byte> rest, out Guid clientMessageId)
    {
        clientMessageId = default;
        var at = rest.IndexOf(" data-ack=\""u8);
        if (at < 0)
            return false;
        rest = rest[(at + 11)..];
        return Utf8Parser.TryParse(rest, out clientMessageId, out _);
    }

    /// <summary>The text of the first error fragment in the frame (for the report).</summary>
    public static string FirstErrorText(ReadOnlySpan<byte> frame)
    {
        var rest = frame;
        for (var at = rest.IndexOf("<div id=\"composer-status\""u8); at >= 0; at = rest.IndexOf("<div id=\"composer-status\""u8))
        {
            rest = rest[at..];
            var end = rest[1..].IndexOf("<div id=\"composer-status\""u8);
            var one = end < 0 ? rest : rest[..(end + 1)];
            if (one.IndexOf(" data-ack=\""u8) < 0)
                return Text(one);
            rest = rest[1..];
        }
        return Text(frame);
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
        // <div class="body" ...>: whatever attributes follow the class (hx-disable), the body starts after '>'.
        var bodyAt = rest.IndexOf("<div class=\"body\""u8);
        if (bodyAt < 0)
            return false;
        rest = rest[(bodyAt + 17)..];
        var open = rest.IndexOf((byte)'>');
        if (open < 0)
            return false;
        rest = rest[(open + 1)..];
        var end = rest.IndexOf("</div>"u8);
        if (end < 0)
            return false;
        body = rest[..end];
        rest = rest[end..];
        // A body is wrapped in a paragraph (<p>text</p>): the bench's own bodies are one line. One that went
        // through Markdown (a mention, say) may have an encoded line break (&#xA;) after the paragraph.
        if (body.StartsWith("<p>"u8) && body.LastIndexOf("</p>"u8) is var close and >= 3)
            body = body[3..close];
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

    /// <summary>Reads the sending socket <c>s{sender}</c> back out of a body made by <see cref="Body"/>.</summary>
    public static bool TryParseSender(ReadOnlySpan<byte> body, out int sender)
    {
        sender = -1;
        var at = body.LastIndexOf(" s"u8);
        return at >= 0 && Utf8Parser.TryParse(body[(at + 2)..], out sender, out _);
    }

    public static string Text(ReadOnlySpan<byte> utf8, int max = 200) =>
        Encoding.UTF8.GetString(utf8[..Math.Min(max, utf8.Length)]);
}

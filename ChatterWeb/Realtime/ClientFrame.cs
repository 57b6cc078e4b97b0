using System.Text.Json;

namespace ChatterWeb.Realtime;

public enum ClientFrameType
{
    Message,
    Resume,
    Typing,
    Read,
}

/// <summary>
/// A client -> server frame as htmx-ext-ws sends it: the form's fields at the top level plus a
/// <c>HEADERS</c> (htmx 2) or <c>headers</c> (htmx 4) object that is ignored. Only the fields a
/// type needs are read, and each must have the right JSON type.
/// </summary>
public sealed record ClientFrame(ClientFrameType Type, string? Body = null, string? ClientMessageId = null, long AfterSeq = 0, long UpToSeq = 0)
{
    /// <summary>On resume: the last change (edit, delete) the page has seen; null when the client does not track changes.</summary>
    public long? AfterChange { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out ClientFrame? frame, out string? error)
    {
        frame = null;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Fail("expected a JSON object", out error);

            string? type = null, body = null, clientMessageId = null;
            long? afterSeq = null, upToSeq = null, afterChange = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "type" when reader.TokenType == JsonTokenType.String:
                        type = reader.GetString();
                        break;
                    case "body" when reader.TokenType == JsonTokenType.String:
                        body = reader.GetString();
                        break;
                    case "clientMessageId" when reader.TokenType == JsonTokenType.String:
                        clientMessageId = reader.GetString();
                        break;
                    case "afterSeq" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n >= 0:
                        afterSeq = n;
                        break;
                    case "afterSeq" when reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), out var s) && s >= 0:
                        afterSeq = s;
                        break;
                    case "afterChange" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var c) && c >= 0:
                        afterChange = c;
                        break;
                    case "afterChange" when reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), out var cs) && cs >= 0:
                        afterChange = cs;
                        break;
                    case "upToSeq" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var u) && u >= 0:
                        upToSeq = u;
                        break;
                    case "type" or "body" or "clientMessageId" or "afterSeq" or "upToSeq" or "afterChange":
                        return Fail($"field '{name}' has the wrong type", out error);
                    default:
                        reader.Skip(); // HEADERS, headers, and anything else the form carries
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Fail("trailing data after the object", out error);

            switch (type)
            {
                case "message":
                    frame = new ClientFrame(ClientFrameType.Message, body, clientMessageId);
                    break;
                case "resume":
                    if (afterSeq is null)
                        return Fail("resume needs a non-negative afterSeq", out error);
                    frame = new ClientFrame(ClientFrameType.Resume, AfterSeq: afterSeq.Value) { AfterChange = afterChange };
                    break;
                case "typing":
                    frame = new ClientFrame(ClientFrameType.Typing);
                    break;
                case "read":
                    if (upToSeq is null)
                        return Fail("read needs a non-negative upToSeq", out error);
                    frame = new ClientFrame(ClientFrameType.Read, UpToSeq: upToSeq.Value);
                    break;
                case null:
                    return Fail("missing field 'type'", out error);
                default:
                    return Fail("unknown frame type", out error);
            }
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return Fail("invalid JSON", out error);
        }
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}

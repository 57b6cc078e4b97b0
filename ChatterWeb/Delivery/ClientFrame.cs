using System.Globalization;
using System.Text.Json;

namespace ChatterWeb.Delivery;

/// <summary>
/// A client -> server frame as htmx-ext-ws sends it: a JSON object whose <c>type</c> picks the
/// handler (<see cref="ISocketFrameHandler"/>), the form's fields at the top level, and a
/// <c>HEADERS</c> (htmx 2) or <c>headers</c> (htmx 4) object that is ignored. Top-level values are
/// kept (objects and arrays only as such); a handler reads the fields it needs, each with its JSON type.
/// </summary>
public sealed class ClientFrame
{
    private readonly List<(string Name, JsonTokenType Kind, string Text)> _fields;

    private ClientFrame(string type, List<(string, JsonTokenType, string)> fields)
    {
        Type = type;
        _fields = fields;
    }

    public string Type { get; }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out ClientFrame? frame, out string? error)
    {
        frame = null;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Fail("expected a JSON object", out error);
            var fields = new List<(string, JsonTokenType, string)>();
            string? type = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String when name == "type":
                        type = reader.GetString();
                        break;
                    case JsonTokenType.String:
                        fields.Add((name, JsonTokenType.String, reader.GetString()!));
                        break;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null when name != "type":
                        fields.Add((name, reader.TokenType, reader.TokenType == JsonTokenType.Number
                            ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan) : ""));
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when name != "type":
                        fields.Add((name, reader.TokenType, "")); // HEADERS, headers: a handler asking for it finds the wrong type
                        reader.Skip();
                        break;
                    default:
                        return Fail($"field '{name}' has the wrong type", out error);
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Fail("trailing data after the object", out error);
            if (type is null)
                return Fail("missing field 'type'", out error);
            frame = new ClientFrame(type, fields);
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return Fail("invalid JSON", out error);
        }
    }

    /// <summary>
    /// A string field: true with the value (null when absent), false when the field holds something
    /// else (<paramref name="error"/> says so).
    /// </summary>
    public bool TryGetString(string name, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (Find(name) is not var (kind, text))
            return true;
        if (kind != JsonTokenType.String)
            return Fail($"field '{name}' has the wrong type", out error);
        value = text;
        return true;
    }

    /// <summary>
    /// A non-negative whole number: true with the value (null when absent), false when the field holds
    /// anything else. <paramref name="orDigits"/> also takes it written as a string of digits (form values are).
    /// </summary>
    public bool TryGetCount(string name, bool orDigits, out long? value, out string? error)
    {
        value = null;
        error = null;
        if (Find(name) is not var (kind, text))
            return true;
        if ((kind == JsonTokenType.Number || (orDigits && kind == JsonTokenType.String))
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0)
        {
            value = n;
            return true;
        }
        return Fail($"field '{name}' has the wrong type", out error);
    }

    private (JsonTokenType Kind, string Text)? Find(string name)
    {
        foreach (var (n, kind, text) in _fields)
        {
            if (n == name)
                return (kind, text);
        }
        return null;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}

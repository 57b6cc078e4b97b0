using System.Text;
using System.Text.Json;

namespace ChatterWeb.Integrations;

/// <summary>
/// A Slack-format webhook payload as one message's Markdown source: <c>text</c> (or, when there are
/// <c>blocks</c>, their section, header and context text, as Slack shows blocks instead of the text),
/// then each of <c>attachments[]</c> as a quote (a colour word's dot, <c>pretext</c>, the <c>title</c>
/// linked to <c>title_link</c>, <c>text</c>, <c>fields[]</c>, <c>footer</c>; <c>fallback</c> when it has
/// nothing else). <c>username</c>, <c>icon_emoji</c> and <c>icon_url</c> are ignored: the message
/// shows the hook's own name and avatar, so a sender cannot pose as a person. Unknown fields are
/// ignored; a known field of the wrong JSON type is a <see cref="FormatException"/> (400).
/// </summary>
public static class SlackPayload
{
    /// <summary>The Markdown body (trimmed, possibly empty).</summary>
    public static string ToMarkdown(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
            throw new FormatException("The payload must be a JSON object.");
        var parts = new List<string>();
        var fromBlocks = Blocks(payload);
        if (fromBlocks.Length > 0)
            parts.Add(fromBlocks);
        else if (String(payload, "text") is { } text)
            parts.Add(Mrkdwn(payload, text));
        if (payload.TryGetProperty("attachments", out var attachments) && attachments.ValueKind != JsonValueKind.Null)
        {
            foreach (var attachment in Array(attachments, "attachments"))
            {
                if (Attachment(attachment) is { Length: > 0 } one)
                    parts.Add(one);
            }
        }
        return string.Join("\n\n", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim('\n'))).Trim();
    }

    private static string Blocks(JsonElement payload)
    {
        if (!payload.TryGetProperty("blocks", out var blocks) || blocks.ValueKind == JsonValueKind.Null)
            return "";
        var lines = new List<string>();
        foreach (var block in Array(blocks, "blocks"))
        {
            if (block.ValueKind != JsonValueKind.Object)
                throw new FormatException("Each block must be an object.");
            switch (String(block, "type"))
            {
                case "header" when TextObject(block, "text") is { Length: > 0 } header:
                    lines.Add("**" + header + "**");
                    break;
                case "section":
                    if (TextObject(block, "text") is { Length: > 0 } section)
                        lines.Add(section);
                    if (block.TryGetProperty("fields", out var fields) && fields.ValueKind != JsonValueKind.Null)
                        lines.AddRange(Array(fields, "fields").Select(f => TextObjectValue(f)).Where(f => f.Length > 0));
                    break;
                case "context" when block.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array:
                    var words = elements.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object && String(e, "type") is "mrkdwn" or "plain_text")
                        .Select(TextObjectValue).Where(t => t.Length > 0).ToList();
                    if (words.Count > 0)
                        lines.Add("_" + string.Join(" · ", words) + "_");
                    break;
            }
        }
        return string.Join("\n\n", lines);
    }

    private static string Attachment(JsonElement a)
    {
        if (a.ValueKind != JsonValueKind.Object)
            throw new FormatException("Each attachment must be an object.");
        var markdownIn = a.TryGetProperty("mrkdwn_in", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToHashSet() : null;
        string Field(string name) => String(a, name) is { } v ? (markdownIn is null || markdownIn.Contains(name) ? SlackMrkdwn.ToMarkdown(v) : SlackMrkdwn.Literal(v)) : "";

        var lines = new List<string>();
        var pretext = Field("pretext");
        var title = String(a, "title") is { } t ? (String(a, "title_link") is { } link ? SlackMrkdwn.Link(link, t) : SlackMrkdwn.Literal(t)) : "";
        var dot = String(a, "color") switch { "danger" => "🔴 ", "warning" => "🟠 ", "good" => "🟢 ", _ => "" };
        if (title.Length > 0)
            lines.Add(dot + "**" + title + "**");
        if (Field("text") is { Length: > 0 } text)
            lines.Add(title.Length == 0 ? dot + text : text);
        if (a.TryGetProperty("fields", out var fields) && fields.ValueKind != JsonValueKind.Null)
        {
            foreach (var f in Array(fields, "fields"))
            {
                if (f.ValueKind != JsonValueKind.Object)
                    throw new FormatException("Each field must be an object.");
                var name = String(f, "title");
                var value = String(f, "value");
                if (string.IsNullOrWhiteSpace(name) && string.IsNullOrWhiteSpace(value))
                    continue;
                lines.Add(string.IsNullOrWhiteSpace(name) ? SlackMrkdwn.ToMarkdown(value!) : "**" + SlackMrkdwn.Literal(name) + "**: " + SlackMrkdwn.ToMarkdown(value ?? ""));
            }
        }
        if (Field("footer") is { Length: > 0 } footer)
            lines.Add("_" + footer.Trim() + "_");
        if (lines.Count == 0 && String(a, "fallback") is { Length: > 0 } fallback)
            lines.Add(SlackMrkdwn.Literal(fallback));
        var quoted = new StringBuilder();
        if (pretext.Length > 0)
            quoted.Append(pretext.Trim('\n')).Append("\n\n");
        for (var i = 0; i < lines.Count; i++)
        {
            // One quote holds the attachment, as Slack's coloured bar does; a blank quoted line between parts.
            if (i > 0)
                quoted.Append(">\n");
            foreach (var line in lines[i].Trim('\n').Split('\n'))
                quoted.Append("> ").Append(line).Append('\n');
        }
        return quoted.ToString();
    }

    private static string Mrkdwn(JsonElement owner, string text) =>
        owner.TryGetProperty("mrkdwn", out var flag) && flag.ValueKind == JsonValueKind.False ? SlackMrkdwn.Literal(text) : SlackMrkdwn.ToMarkdown(text);

    /// <summary>A text object (<c>{"type":"mrkdwn"|"plain_text","text":…}</c>) under <paramref name="name"/>, as Markdown.</summary>
    private static string TextObject(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? TextObjectValue(value) : "";

    private static string TextObjectValue(JsonElement o)
    {
        if (o.ValueKind != JsonValueKind.Object)
            throw new FormatException("A text object must be an object.");
        var text = String(o, "text") ?? "";
        return String(o, "type") == "plain_text" ? SlackMrkdwn.Literal(text) : SlackMrkdwn.ToMarkdown(text);
    }

    private static string? String(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(), // "short": true, a number as a value
            _ => throw new FormatException($"\"{name}\" must be a string."),
        };
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw new FormatException($"\"{name}\" must be an array.");
}

using System.Text.Json;

namespace ChatterWeb.Bots;

/// <summary>
/// The JSON a bot receives:
/// <c>{"type":"mention"|"command","command":"deploy"|null,"bot":{"id","name"},"room":{"slug","name"},"seq":42,
/// "author":{"id","name"},"text":"…","permalink":"https://…/rooms/ops/@42","createdAt":"…"}</c>.
/// <c>text</c> is the message's Markdown source as typed.
/// </summary>
public static class BotPayload
{
    public static byte[] Write(BotTarget bot, string? command, BotTrigger trigger, string? publicUrl)
    {
        var (room, message) = (trigger.Room, trigger.Message);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512 + message.Body.Length * 2);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", command is null ? "mention" : "command");
            if (command is null)
                json.WriteNull("command");
            else
                json.WriteString("command", command);
            json.WriteStartObject("bot");
            json.WriteString("id", bot.UserId);
            json.WriteString("name", bot.Name);
            json.WriteEndObject();
            json.WriteStartObject("room");
            json.WriteString("slug", room.Slug);
            json.WriteString("name", room.Name);
            json.WriteEndObject();
            json.WriteNumber("seq", message.Seq);
            json.WriteStartObject("author");
            json.WriteString("id", message.AuthorId);
            json.WriteString("name", message.AuthorName);
            json.WriteEndObject();
            json.WriteString("text", message.Body);
            json.WriteString("permalink", Permalink(publicUrl, room.Slug, message.Seq));
            json.WriteString("createdAt", message.CreatedAt.UtcDateTime);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string Permalink(string? publicUrl, string slug, long seq) =>
        (publicUrl ?? "").TrimEnd('/') + $"/rooms/{slug}/@{seq}";
}

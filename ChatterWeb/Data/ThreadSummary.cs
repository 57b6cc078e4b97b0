using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatterWeb.Data;

/// <summary>
/// What a thread's first message shows of its replies (<see cref="Message.ThreadSummary"/>): how many
/// (not deleted) and the display names of the last few people who replied, newest first. Counted
/// again from the replies at every change, never incremented, so a summary that missed an update is
/// right again after the next one.
/// </summary>
public sealed record ThreadSummary(
    [property: JsonPropertyName("c")] int Count,
    [property: JsonPropertyName("u")] IReadOnlyList<string> LastRepliers)
{
    /// <summary>Names kept for "last repliers".</summary>
    public const int RepliersShown = 3;

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ThreadSummary? Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return null;
        try
        {
            return JsonSerializer.Deserialize<ThreadSummary>(stored, Json) is { Count: > 0 } s ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What to store (null: no replies).</summary>
    public string? Serialize() => Count > 0 ? JsonSerializer.Serialize(this, Json) : null;
}

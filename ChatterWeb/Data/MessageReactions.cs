using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatterWeb.Data;

/// <summary>
/// A message's reactions as stored in <see cref="Message.Reactions"/>: each emoji in the order it was
/// first used, with who reacted (id and display name at the time) in the order they did. The rules:
/// only <see cref="ReactionEmoji"/>, at most <see cref="MaxDistinct"/> different emoji on one message,
/// one reaction per person and emoji (adding twice is adding once, removing what is not there
/// changes nothing).
/// </summary>
public sealed class MessageReactions
{
    public const int MaxDistinct = 20;

    public sealed record Reactor([property: JsonPropertyName("i")] string Id, [property: JsonPropertyName("n")] string Name);

    public sealed record Group([property: JsonPropertyName("e")] string Emoji, [property: JsonPropertyName("u")] List<Reactor> By);

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly MessageReactions None = new([]);

    private MessageReactions(List<Group> groups) => Groups = groups;

    public IReadOnlyList<Group> Groups { get; }

    public static MessageReactions Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return None;
        try
        {
            var groups = JsonSerializer.Deserialize<List<Group>>(stored, Json);
            return groups is null ? None : new(groups.Where(g => g.By is { Count: > 0 }).ToList());
        }
        catch (JsonException)
        {
            return None;
        }
    }

    /// <summary>What to store (null: no reactions left).</summary>
    public string? Serialize() => Groups.Count == 0 ? null : JsonSerializer.Serialize(Groups, Json);

    public bool Has(string emoji, string userId) => Groups.Any(g => g.Emoji == emoji && g.By.Any(r => r.Id == userId));

    public enum Outcome { Changed, Unchanged, TooMany }

    /// <summary>
    /// The reactions with <paramref name="userId"/>'s <paramref name="emoji"/> on or off. Turning on a new
    /// emoji when <see cref="MaxDistinct"/> are there already is <see cref="Outcome.TooMany"/>.
    /// </summary>
    public (MessageReactions Reactions, Outcome Outcome) With(string emoji, string userId, string userName, bool on)
    {
        if (Has(emoji, userId) == on)
            return (this, Outcome.Unchanged);
        var groups = Groups.Select(g => g with { By = [.. g.By] }).ToList();
        var group = groups.Find(g => g.Emoji == emoji);
        if (on)
        {
            if (group is null)
            {
                if (groups.Count >= MaxDistinct)
                    return (this, Outcome.TooMany);
                groups.Add(group = new Group(emoji, []));
            }
            group.By.Add(new Reactor(userId, userName));
        }
        else
        {
            group!.By.RemoveAll(r => r.Id == userId);
            if (group.By.Count == 0)
                groups.Remove(group);
        }
        return (new MessageReactions(groups), Outcome.Changed);
    }
}

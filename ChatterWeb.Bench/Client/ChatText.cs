using System.Text;

namespace ChatterWeb.Bench.Client;

/// <summary>
/// Ordinary team-chat lines, made up from a fixed vocabulary: the same number always gives the same
/// line, so seeded histories and message bodies are repeatable. Lower-case words, commas, a full stop
/// or a question mark: nothing the message formatting treats as markup, and nothing HTML-encoding changes.
/// No word of the vocabulary starts with <see cref="FrequentWord"/> or <see cref="RareWord"/> (search
/// matches words by prefix), so those two occur exactly where a caller puts them.
/// </summary>
public static class ChatText
{
    /// <summary>A word callers put into about one message in a thousand.</summary>
    public const string FrequentWord = "invoice";

    /// <summary>A word callers put into a handful of messages.</summary>
    public const string RareWord = "zanzibar";

    private static readonly string[] Words =
    [
        "the", "a", "we", "I", "you", "it", "this", "that", "is", "are", "was", "be", "to", "of", "and", "in", "on", "for",
        "with", "at", "from", "by", "about", "after", "before", "again", "still", "just", "now", "today", "tomorrow",
        "yesterday", "later", "soon", "maybe", "probably", "definitely", "really", "quite", "very", "more", "less",
        "deploy", "release", "build", "test", "tests", "review", "merge", "branch", "commit", "ticket", "bug", "fix",
        "patch", "rollback", "staging", "production", "server", "database", "query", "index", "cache", "queue",
        "latency", "dashboard", "alert", "pager", "oncall", "incident", "meeting", "standup", "retro", "demo",
        "customer", "report", "budget", "roadmap", "design", "mockup", "feedback", "docs", "draft", "slides",
        "lunch", "coffee", "office", "remote", "calendar", "holiday", "weekend", "morning", "afternoon", "call",
        "looks", "good", "great", "fine", "broken", "flaky", "slow", "fast", "green", "red", "done", "blocked",
        "ready", "waiting", "working", "checking", "thanks", "sure", "sounds", "agreed", "question", "answer",
        "can", "could", "should", "would", "will", "need", "want", "think", "know", "see", "try", "ship", "push",
        "pull", "run", "rerun", "restart", "update", "upgrade", "move", "plan", "schedule", "share", "send", "ask",
        "team", "everyone", "someone", "nobody", "client", "vendor", "manager", "lead", "support", "sales",
        "numbers", "metrics", "logs", "trace", "config", "settings", "feature", "flag", "rollout", "migration",
        "backup", "storage", "network", "memory", "disk", "cpu", "window", "minutes", "hours", "week", "month",
    ];

    /// <summary>A line of 5 to 24 words for <paramref name="n"/>.</summary>
    public static string Line(long n) => Append(new StringBuilder(160), n).ToString();

    /// <summary>Appends the line for <paramref name="n"/> (see <see cref="Line"/>).</summary>
    public static StringBuilder Append(StringBuilder text, long n)
    {
        var state = Mix((ulong)n);
        var count = 5 + (int)(state % 20);
        for (var i = 0; i < count; i++)
        {
            state = Mix(state + (ulong)i);
            var word = Words[(int)(state % (ulong)Words.Length)];
            if (i == 0)
                text.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
            else
                text.Append(state % 11 == 0 ? ", " : " ").Append(word);
        }
        return text.Append(state % 5 == 0 ? '?' : '.');
    }

    /// <summary>SplitMix64's finaliser: a well-spread number from any number.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}

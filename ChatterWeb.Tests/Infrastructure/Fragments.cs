namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// The top-level elements of one WebSocket message, as htmx-ext-ws sees them: it swaps every
/// top-level element out of band, and the server may coalesce several queued fragments into one
/// message. Our markup is well formed and encodes user text, so a tag count is enough.
/// </summary>
public static class Fragments
{
    private static readonly HashSet<string> Void = new(StringComparer.OrdinalIgnoreCase)
        { "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr" };

    public static List<string> Split(string message)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = -1;
        var i = 0;
        while (i < message.Length)
        {
            if (message[i] != '<')
            {
                i++;
                continue;
            }
            var end = message.IndexOf('>', i);
            if (end < 0)
                break;
            var closing = i + 1 < message.Length && message[i + 1] == '/';
            if (message[i + 1] == '!') // comment or doctype: no depth change
            {
                i = end + 1;
                continue;
            }
            if (closing)
            {
                depth--;
                if (depth == 0 && start >= 0)
                {
                    parts.Add(message[start..(end + 1)]);
                    start = -1;
                }
            }
            else
            {
                var nameEnd = i + 1;
                while (nameEnd < end && !char.IsWhiteSpace(message[nameEnd]) && message[nameEnd] != '/' && message[nameEnd] != '>')
                    nameEnd++;
                var selfClosing = message[end - 1] == '/' || Void.Contains(message[(i + 1)..nameEnd]);
                if (depth == 0)
                    start = i;
                if (selfClosing)
                {
                    if (depth == 0)
                    {
                        parts.Add(message[start..(end + 1)]);
                        start = -1;
                    }
                }
                else
                {
                    depth++;
                }
            }
            i = end + 1;
        }
        if (parts.Count == 0 || start >= 0)
            return [message]; // not markup we understand: leave it whole for the test to see
        return parts;
    }
}

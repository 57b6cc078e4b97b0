using System.Net;
using System.Text.RegularExpressions;

namespace ChatterWeb.Tests.Infrastructure;

/// <summary>
/// The people list a page shows, rebuilt from its socket's frames as the page's presence module
/// does: a whole list (<c>id="presence"</c>) replaces it, a change frame
/// (<c>data-presence="changes"</c>) adds or replaces arrivals and removes departures.
/// </summary>
public static partial class PresenceView
{
    public static bool IsWholeList(string frame) => frame.StartsWith("<ul id=\"presence\"", StringComparison.Ordinal);

    public static bool IsChanges(string frame) => frame.StartsWith("<ul data-presence=\"changes\"", StringComparison.Ordinal);

    public static bool IsPresence(string frame) => IsWholeList(frame) || IsChanges(frame);

    /// <summary>User id to display name, after applying every presence frame in order.</summary>
    public static IReadOnlyDictionary<string, string> Of(IEnumerable<string> frames)
    {
        var people = new Dictionary<string, string>();
        foreach (var frame in frames)
        {
            if (IsWholeList(frame))
                people.Clear();
            else if (!IsChanges(frame))
                continue;
            foreach (Match item in Item().Matches(frame))
            {
                var userId = WebUtility.HtmlDecode(item.Groups["id"].Value);
                if (item.Groups["gone"].Success)
                    people.Remove(userId);
                else
                    people[userId] = WebUtility.HtmlDecode(item.Groups["name"].Value);
            }
        }
        return people;
    }

    [GeneratedRegex("<li (?<gone>data-gone )?data-user-id=\"(?<id>[^\"]*)\"(?: data-name=\"(?<name>[^\"]*)\")?")]
    private static partial Regex Item();
}

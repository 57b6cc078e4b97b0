using System.Text;
using System.Text.Encodings.Web;
using ChatterWeb.Data;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Search;

/// <summary>
/// Searches every message the user can read (open rooms, and closed or direct rooms they belong
/// to), never a deleted one; newest first, keyset-paged on the message id. Every word must match.
/// How words match is the database's (<see cref="IMessageMatches"/>: SQLite's FTS5 index, by prefix,
/// case and accents ignored; SQL Server's LIKE). See docs/MESSAGES.md.
/// </summary>
public sealed class MessageSearch(ChatterDbContext db, IMessageMatches matching)
{
    public const int PageSize = 20;
    public const int MaxTerms = 8;
    public const int MaxQueryLength = 200;

    public sealed record Hit(long Id, string RoomSlug, string RoomName, long Seq, string AuthorName, string Body, DateTimeOffset CreatedAt);

    /// <summary>A page of hits, and the cursor for the next (older) page, if any.</summary>
    public sealed record Results(IReadOnlyList<string> Terms, IReadOnlyList<Hit> Hits, long? NextBefore);

    public async Task<Results> SearchAsync(string userId, string? query, long? before, CancellationToken ct = default)
    {
        var terms = Terms(query);
        if (terms.Count == 0)
            return new Results(terms, [], null);

        var matches = matching.Matching(terms);
        var readable = matches.Where(m => m.DeletedAt == null
            && db.Rooms.Any(r => r.Id == m.RoomId && (r.Kind == RoomKind.Open || db.Memberships.Any(x => x.RoomId == r.Id && x.UserId == userId))));
        if (before is long b)
            readable = readable.Where(m => m.Id < b);
        var hits = await readable
            .OrderByDescending(m => m.Id)
            .Take(PageSize + 1)
            .Select(m => new Hit(m.Id,
                db.Rooms.Where(r => r.Id == m.RoomId).Select(r => r.Slug).First(),
                db.Rooms.Where(r => r.Id == m.RoomId).Select(r => r.Name).First(),
                m.Seq, m.Author!.DisplayName, m.Body, m.CreatedAt))
            .ToListAsync(ct);
        long? next = null;
        if (hits.Count > PageSize)
        {
            hits.RemoveAt(PageSize);
            next = hits[^1].Id;
        }
        return new Results(terms, hits, next);
    }

    /// <summary>The words of a query: split on white space, each with at least one letter or digit, at most <see cref="MaxTerms"/>.</summary>
    public static IReadOnlyList<string> Terms(string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
            return [];
        if (query.Length > MaxQueryLength)
            query = query[..MaxQueryLength];
        return query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Trim('"', '\'', '*', '(', ')', ',', '.', ';', ':', '!', '?'))
            .Where(t => t.Any(char.IsLetterOrDigit))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxTerms)
            .ToList();
    }

    /// <summary>
    /// A window of the body around the first match, HTML-encoded, with every occurrence of a term
    /// wrapped in <c>&lt;mark&gt;</c>. Matching is on the raw text; each piece is encoded on its own,
    /// so no user text is ever markup.
    /// </summary>
    public static IHtmlContent Highlight(string body, IReadOnlyList<string> terms, int window = 240)
    {
        var ranges = new List<(int Start, int End)>();
        foreach (var term in terms)
        {
            for (var i = body.IndexOf(term, StringComparison.OrdinalIgnoreCase); i >= 0; i = body.IndexOf(term, i + term.Length, StringComparison.OrdinalIgnoreCase))
                ranges.Add((i, i + term.Length));
        }
        ranges.Sort();
        var merged = new List<(int Start, int End)>();
        foreach (var r in ranges)
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, r.End));
            else
                merged.Add(r);
        }

        var from = merged.Count > 0 ? Math.Max(0, merged[0].Start - window / 4) : 0;
        var to = Math.Min(body.Length, from + window);
        if (from > 0 && char.IsLowSurrogate(body[from]))
            from--;
        if (to < body.Length && to > 0 && char.IsHighSurrogate(body[to - 1]))
            to++;

        var html = new StringBuilder();
        var encoder = HtmlEncoder.Default;
        if (from > 0)
            html.Append('…');
        var at = from;
        foreach (var (start, end) in merged)
        {
            if (end <= from || start >= to)
                continue;
            var s = Math.Max(start, from);
            var e = Math.Min(end, to);
            html.Append(encoder.Encode(body[at..s]));
            html.Append("<mark>").Append(encoder.Encode(body[s..e])).Append("</mark>");
            at = e;
        }
        html.Append(encoder.Encode(body[at..to]));
        if (to < body.Length)
            html.Append('…');
        return new HtmlString(html.ToString());
    }
}

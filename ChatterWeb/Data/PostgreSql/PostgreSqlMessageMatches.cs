using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Data.PostgreSql;

/// <summary>
/// PostgreSQL: full-text search over the GIN index on <c>to_tsvector('chatter_search', "Body")</c>
/// (see the MessageSearch migration), every term as a prefix, case and accents ignored. The
/// configuration <c>chatter_search</c> is <c>simple</c> (no stemming, no stop words: a chat holds
/// every language and a lot of names) with <c>unaccent</c> before it, so "Crème" is found by "creme".
/// </summary>
public sealed class PostgreSqlMessageMatches(ChatterDbContext db) : IMessageMatches
{
    /// <summary>The text search configuration the index was built with; the query names the same one (a constant: a parameter would not match the index).</summary>
    public const string Configuration = "chatter_search";

    public IQueryable<Message> Matching(IReadOnlyList<string> terms)
    {
        var query = PrefixQuery(terms);
        return db.Messages.Where(m => EF.Functions.ToTsVector(Configuration, m.Body).Matches(EF.Functions.ToTsQuery(Configuration, query)));
    }

    /// <summary>
    /// <c>'term':* &amp; 'other':*</c>: each term quoted as one operand (a quote or backslash in it
    /// escaped by doubling), so no user text is tsquery syntax; a term the parser splits ("e-mail",
    /// "don't") becomes a phrase of prefixes, as in SQLite's index.
    /// </summary>
    public static string PrefixQuery(IReadOnlyList<string> terms)
    {
        var query = new StringBuilder();
        foreach (var term in terms)
        {
            if (query.Length > 0)
                query.Append(" & ");
            query.Append('\'').Append(term.Replace("\\", "\\\\").Replace("'", "''")).Append("':*");
        }
        return query.ToString();
    }
}
